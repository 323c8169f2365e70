// The first Run on ModelArts of a folder asks only what a run configuration needs, each list fed by the API:
// the workspace, the engine (or a custom image), the flavor (free and small first), the node count, the boot
// file, the OBS bucket of the region (or a new one) and folder, and where outputs go.

import * as vscode from 'vscode';
import { mirrorPrefixProblem } from '../../api/obs/mirror';
import type { ObsClient } from '../../api/obs/types';
import type { TrainingEngine, TrainingFlavor } from '../../api/types';
import { pickText, promptText, safeL10n } from '../../common/safeText';
import { showInput, showPick, type Said, type SafePickItem } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { bucketNameMessage } from '../obs/obsLimits';
import { CancelledByUser } from '../registry';
import type { WorkspaceRef } from '../workspace/pickers';
import { jobNameForFolder, type RunAnswers } from './runConfig';

const l10n = safeL10n(vscode.l10n);

function picked<T>(value: T | undefined): T {
  if (value === undefined) throw new CancelledByUser();
  return value;
}

type EngineChoice = RunAnswers['engine'];

async function pickEngine(session: ActiveSession, title: Said<'label'>): Promise<EngineChoice> {
  const engines: TrainingEngine[] = await session.client.trainingJobs.listEngines();
  const custom = { label: l10n.t('Custom Image…'), description: l10n.t('an SWR image of your own'), engine: undefined };
  const items: (SafePickItem & { engine: TrainingEngine | undefined })[] = [
    ...engines.map((engine) => ({ label: pickText(`${engine.engine_name ?? engine.engine_id} ${engine.engine_version ?? ''}`.trim()), description: pickText(engine.engine_id), engine })),
    custom,
  ];
  const choice = picked(await showPick(items, { title, placeHolder: l10n.t('Engine the code runs on'), matchOnDescription: true, ignoreFocusOut: true }));
  if (choice.engine) {
    const { engine_name: name, engine_version: version } = choice.engine;
    return name && version ? { engine_name: name, engine_version: version } : { engine_id: choice.engine.engine_id };
  }
  const image = picked(
    await showInput({
      title,
      prompt: l10n.t('SWR path of the image, e.g. swr.cn-north-4.myhuaweicloud.com/my-org/my-image:1.0'),
      ignoreFocusOut: true,
      validateInput: (value) => (/^\S+\/\S+:\S+$/.test(value.trim()) ? undefined : l10n.t('An image path like <registry>/<organization>/<image>:<tag>.')),
    }),
  );
  return { image_url: image.trim() };
}

function flavorNumber(flavor: TrainingFlavor, part: string, field: string): number {
  const section = flavor.flavor_info?.[part];
  const value = typeof section === 'object' && section !== null ? (section as Record<string, unknown>)[field] : undefined;
  return typeof value === 'number' ? value : 0;
}

function isFree(flavor: TrainingFlavor): boolean {
  const code = flavor.billing?.code;
  return /free/i.test(flavor.flavor_id) || (typeof code === 'string' && /free/i.test(code));
}

/** Free first, then CPU before accelerators, then fewer cores: the cheapest choice is at the top. */
export function sortFlavors(flavors: readonly TrainingFlavor[]): TrainingFlavor[] {
  const rank = (f: TrainingFlavor): number => (isFree(f) ? 0 : f.flavor_type === 'CPU' ? 1 : 2);
  return [...flavors].sort((a, b) => rank(a) - rank(b) || flavorNumber(a, 'cpu', 'core_num') - flavorNumber(b, 'cpu', 'core_num') || a.flavor_id.localeCompare(b.flavor_id));
}

function flavorDescription(flavor: TrainingFlavor): string {
  const info = flavor.flavor_info;
  const kind = info?.gpu ? 'GPU' : info?.npu ? 'NPU' : undefined;
  const accelerator = kind ? (info?.[kind.toLowerCase()] as Record<string, unknown>) : undefined;
  const parts = [flavor.flavor_type ?? ''];
  if (kind && accelerator) {
    const units = typeof accelerator.unit_num === 'number' ? accelerator.unit_num : 1;
    const product = typeof accelerator.product_name === 'string' ? accelerator.product_name : kind;
    parts.push(`${units}× ${product}`);
  }
  const cores = flavorNumber(flavor, 'cpu', 'core_num');
  if (cores > 0) parts.push(vscode.l10n.t('{0} vCPUs', cores));
  if (isFree(flavor)) parts.push(vscode.l10n.t('free'));
  return parts.filter((p) => p !== '').join(' · ');
}

async function pickFlavor(session: ActiveSession, title: Said<'label'>): Promise<TrainingFlavor> {
  const flavors = sortFlavors(await session.client.trainingJobs.listFlavors());
  if (flavors.length === 0) throw new Error(vscode.l10n.t('No training flavor is available in this region.'));
  const choice = picked(
    await showPick(
      flavors.map((flavor) => ({ label: pickText(flavor.flavor_name ?? flavor.flavor_id), description: pickText(flavorDescription(flavor)), detail: pickText(flavor.flavor_id), flavor })),
      { title, placeHolder: l10n.t('Flavor of each node'), matchOnDetail: true, matchOnDescription: true, ignoreFocusOut: true },
    ),
  );
  return choice.flavor;
}

async function pickNodeCount(flavor: TrainingFlavor, title: Said<'label'>): Promise<number> {
  const max = flavor.max_num ?? 1;
  if (max <= 1) return 1;
  const text = picked(
    await showInput({
      title,
      prompt: l10n.t('Number of nodes (1 to {0})', max),
      value: '1',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const n = Number(value);
        return Number.isInteger(n) && n >= 1 && n <= max ? undefined : l10n.t('A whole number from 1 to {0}.', max);
      },
    }),
  );
  return Number(text);
}

/** The boot file: the file the command was run on when it is a script in the folder, else one picked. */
async function pickBootFile(folder: vscode.Uri, preferred: vscode.Uri | undefined, title: Said<'label'>): Promise<string> {
  const inside = (uri: vscode.Uri): string | undefined => {
    const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
    return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
  };
  const given = preferred && /\.(py|sh)$/i.test(preferred.path) ? inside(preferred) : undefined;
  if (given) return given;
  const scripts = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{py,sh}'), '**/{.git,.modelarts,node_modules,.venv,venv,__pycache__}/**', 500);
  const paths = scripts.map(inside).filter((p): p is string => p !== undefined).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  if (paths.length === 0) throw new Error(vscode.l10n.t('The folder has no Python or shell script to run: add one (e.g. train.py) first.'));
  const choice = picked(await showPick(paths.map((path) => ({ label: pickText(path), path })), { title, placeHolder: l10n.t('Boot file: the script the job runs'), ignoreFocusOut: true }));
  return choice.path;
}

async function pickBucket(obs: ObsClient, region: string, title: Said<'label'>): Promise<string> {
  const buckets = (await obs.listBuckets()).filter((bucket) => bucket.location === '' || bucket.location === region);
  const create = { label: l10n.t('$(add) Create Bucket…'), bucket: undefined };
  const items = [...buckets.map((bucket) => ({ label: pickText(bucket.name), description: pickText(bucket.location), bucket: bucket.name })), create];
  const choice = picked(await showPick(items, { title, placeHolder: l10n.t('OBS bucket in {0} for the code', region), ignoreFocusOut: true }));
  if (choice.bucket) return choice.bucket;
  const name = picked(
    await showInput({
      title,
      prompt: l10n.t('Name of the new bucket in {0} (3 to 63 lowercase letters, digits, "-" or ".")', region),
      ignoreFocusOut: true,
      validateInput: (value) => {
        const problem = bucketNameMessage(value, vscode.l10n);
        return problem === undefined ? undefined : promptText(problem);
      },
    }),
  );
  await obs.createBucket(name, { region });
  return name;
}

async function pickPrefix(name: string, title: Said<'label'>): Promise<string> {
  const value = picked(
    await showInput({
      title,
      prompt: l10n.t('OBS folder for the code. Run keeps it a copy of the local folder: objects in it that are not local are deleted.'),
      value: `modelarts-runs/${name}/code/`,
      ignoreFocusOut: true,
      validateInput: (text) => {
        const folder = text.endsWith('/') ? text : `${text}/`;
        return mirrorPrefixProblem(folder) === undefined ? undefined : l10n.t('A folder of the bucket like "runs/my-project/": no leading "/", no empty, "." or ".." part.');
      },
    }),
  );
  return value.endsWith('/') ? value : `${value}/`;
}

async function pickOutputs(bucket: string, prefix: string, title: Said<'label'>): Promise<string | undefined> {
  // Beside the code folder, never in it: the code folder is mirrored, so outputs there would be deleted.
  const parent = prefix.replace(/[^/]+\/$/, '');
  const suggested = `obs://${bucket}/${parent}outputs/`;
  const choice = picked(
    await showPick(
      [
        { label: pickText(suggested), description: l10n.t('outputs of each run'), url: suggested },
        { label: l10n.t('No Outputs'), description: l10n.t('the job writes nothing to OBS'), url: undefined },
      ],
      { title, placeHolder: l10n.t('Where the job writes its outputs'), ignoreFocusOut: true },
    ),
  );
  return choice.url;
}

export interface RunQuestions {
  readonly pickWorkspace: (session: ActiveSession, placeHolder: Said<'label'>) => Promise<WorkspaceRef>;
  session: ActiveSession;
  obs: ObsClient;
  /** The folder holding `.modelarts/`. */
  workspaceFolder: vscode.Uri;
  /** The folder to upload (the workspace folder or one in it). */
  codeFolder: vscode.Uri;
  /** The file the command was run on, if any. */
  file: vscode.Uri | undefined;
}

/** Asks, in order, what a first run needs; a cancel at any step ends the command quietly. */
export async function askRunConfiguration(q: RunQuestions): Promise<RunAnswers> {
  const folderName = q.codeFolder.path.split('/').filter((p) => p !== '').pop() ?? 'run';
  const name = jobNameForFolder(folderName);
  const title = l10n.t('Run on ModelArts: {0}', folderName);
  const workspace = await q.pickWorkspace(q.session, l10n.t('Workspace to run in'));
  const engine = await pickEngine(q.session, title);
  const flavor = await pickFlavor(q.session, title);
  const nodeCount = await pickNodeCount(flavor, title);
  const bootFile = await pickBootFile(q.codeFolder, q.file, title);
  const bucket = await pickBucket(q.obs, q.session.region, title);
  const prefix = await pickPrefix(name, title);
  const outputs = await pickOutputs(bucket, prefix, title);
  const base = q.workspaceFolder.path.endsWith('/') ? q.workspaceFolder.path : `${q.workspaceFolder.path}/`;
  const folder = q.codeFolder.path.startsWith(base) ? q.codeFolder.path.slice(base.length) || '.' : '.';
  return { name, workspaceId: workspace.id, engine, flavorId: flavor.flavor_id, nodeCount, bootFile, folder, bucket, prefix, ...(outputs ? { outputs } : {}) };
}
