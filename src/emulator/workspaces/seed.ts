import { DEMO_WORKSPACES, scaleWorkspaceIds, type FamilyOptions } from '../framework';
import { DEFAULT_EP_ID, type QuotaRecord, type WorkspaceRecord } from './records';

// The workspaces family's seeded objects: the default workspace as the seed example shows it, the demo's
// workspaces, and the quotas every workspace starts with. Data, placed relative to the emulator's start.

const DAY = 24 * 3600_000;

interface QuotaDefinition {
  resource: string;
  min_quota: number;
  max_quota: number;
  default_quota: number;
  used: number;
  name_en: string;
  name_cn: string;
  unit_en: string;
  unit_cn: string;
}

const QUOTA_DEFINITIONS: readonly QuotaDefinition[] = [
  {
    resource: 'exemlProject.gpu_duration',
    min_quota: -1,
    max_quota: 60000,
    default_quota: 20,
    used: 6,
    name_en: 'ExeML training duration (image classification, object detection, and sound classification)',
    name_cn: '自动学习(图像分类、物体检测、声音分类)训练时长',
    unit_en: 'minute',
    unit_cn: '分钟',
  },
  {
    resource: 'exemlProject',
    min_quota: 1,
    max_quota: 100,
    default_quota: 10,
    used: 2,
    name_en: 'ExeML projects',
    name_cn: '自动学习项目',
    unit_en: 'unit',
    unit_cn: '个',
  },
  {
    resource: 'notebook.instance',
    min_quota: -1,
    max_quota: 100,
    default_quota: 20,
    used: 4,
    name_en: 'Notebook instances',
    name_cn: 'Notebook实例',
    unit_en: 'unit',
    unit_cn: '个',
  },
  {
    resource: 'train.job',
    min_quota: -1,
    max_quota: 10000,
    default_quota: -1,
    used: 0,
    name_en: 'Training jobs',
    name_cn: '训练作业',
    unit_en: 'unit',
    unit_cn: '个',
  },
];

export function newQuotas(updateTime: number, seedDefault: boolean): QuotaRecord[] {
  return QUOTA_DEFINITIONS.map((d) => ({
    resource: d.resource,
    quota: d.default_quota,
    used_quota: d.default_quota === -1 ? null : seedDefault ? d.used : 0,
    min_quota: d.min_quota,
    max_quota: d.max_quota,
    name_en: d.name_en,
    name_cn: d.name_cn,
    unit_en: d.unit_en,
    unit_cn: d.unit_cn,
    // The seed example's update time for the default workspace; otherwise the creation time.
    update_time: seedDefault && d.resource === 'exemlProject.gpu_duration' ? 1574339372000 : updateTime,
  }));
}

type SeedWorkspace = Omit<WorkspaceRecord, 'quotas'>;

/** The default workspace as the seed example shows it (with the id as a string). */
const DEFAULT_WORKSPACE: SeedWorkspace = {
  id: '0',
  name: 'default',
  description: '',
  owner: 'testUser',
  enterprise_project_id: DEFAULT_EP_ID,
  enterprise_project_name: 'default',
  auth_type: 'public',
  create_time: 1460000010000,
  update_time: 1460000010000,
  status: 'NORMAL',
  status_info: '',
  grants: [],
};

function demoWorkspaces(opts: FamilyOptions, start: number): SeedWorkspace[] {
  const [, vision, nlp] = DEMO_WORKSPACES;
  return [
    {
      id: vision.id,
      name: vision.name,
      description: 'Image classification and detection models',
      owner: opts.userName,
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'PUBLIC',
      create_time: start - 120 * DAY,
      update_time: start - 30 * DAY,
      status: 'NORMAL',
      status_info: '',
      grants: [],
    },
    {
      id: nlp.id,
      name: nlp.name,
      description: 'Language model experiments',
      owner: opts.userName,
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'INTERNAL',
      create_time: start - 60 * DAY,
      update_time: start - 2 * DAY,
      status: 'NORMAL',
      status_info: '',
      grants: [
        { user_id: opts.userId, user_type: 'IAM' },
        { user_name: 'alice', user_type: 'IAM' },
      ],
    },
    // Someone else's private workspace: listed, but hidden by filter_accessible=true.
    {
      id: 'a9b8c7d6e5f44a3b2c1d0e9f8a7b6c5d',
      name: 'ops-private',
      description: 'Operations team sandbox',
      owner: 'ops-admin',
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'PRIVATE',
      create_time: start - 200 * DAY,
      update_time: start - 200 * DAY,
      status: 'NORMAL',
      status_info: '',
      grants: [],
    },
  ];
}

/** The seeded workspaces with their quotas: the default one always, the demo's with the demo seed. */
export function seedWorkspaces(opts: FamilyOptions): WorkspaceRecord[] {
  const start = opts.clock.now();
  const out: WorkspaceRecord[] = [{ ...DEFAULT_WORKSPACE, grants: [], quotas: newQuotas(DEFAULT_WORKSPACE.create_time, true) }];
  if (opts.seed === 'demo') {
    for (const ws of demoWorkspaces(opts, start)) out.push({ ...ws, quotas: newQuotas(ws.create_time, false) });
  }
  if (opts.scaleJobs > 0) {
    scaleWorkspaceIds(opts).slice(1).forEach((id, k) => {
      const createTime = start - (k + 1) * DAY;
      out.push({
        ...DEFAULT_WORKSPACE,
        id,
        name: `scale-${String(k + 1).padStart(2, '0')}`,
        description: 'Scale seed',
        owner: opts.userName,
        enterprise_project_id: '0',
        auth_type: 'PUBLIC',
        create_time: createTime,
        update_time: createTime,
        grants: [],
        quotas: newQuotas(createTime, false),
      });
    });
  }
  return out;
}
