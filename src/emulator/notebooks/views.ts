import type { EmuJsonObject } from '../framework';
import { leaseJson } from './params';
import type { EmulatedSshEndpoint, FlavorRecord, ImageRecord, NotebookRecord } from './records';

// How the notebooks family shows its records in answers: copies, so a caller never holds live state.

const STEP_DESCRIPTIONS = ['Preparing storage', 'Preparing compute resources', 'Configuring network', 'Initializing the instance'];

function stepsFor(status: string): string[] {
  switch (status) {
    case 'CREATING':
    case 'INIT':
      return ['PROCESSING', 'WAITING', 'WAITING', 'WAITING'];
    case 'STARTING':
      return ['COMPLETED', 'COMPLETED', 'PROCESSING', 'WAITING'];
    case 'RUNNING':
    case 'SNAPSHOTTING':
      return ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'];
    case 'START_FAILED':
    case 'CREATE_FAILED':
      return ['COMPLETED', 'FAILED', 'WAITING', 'WAITING'];
    default:
      return [];
  }
}

function progressFor(status: string): EmuJsonObject[] {
  return stepsFor(status).map((s, i) => ({ status: s, step: i + 1, description: STEP_DESCRIPTIONS[i] }));
}

/** In the console's form: `ssh://ma-user@host:port`. */
function sshUri(endpoint: EmulatedSshEndpoint | undefined): string {
  const { host, port, user } = endpoint ?? { host: '127.0.0.1', port: 22 };
  return `ssh://${user ?? 'ma-user'}@${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function notebookJson(nb: NotebookRecord, sshEndpoint: EmulatedSshEndpoint | undefined): EmuJsonObject {
  const running = nb.status === 'RUNNING';
  const out: EmuJsonObject = {
    id: nb.id,
    name: nb.name,
    description: nb.description,
    status: nb.status,
  };
  if (nb.fail_reason) out.fail_reason = nb.fail_reason;
  Object.assign(out, {
    feature: nb.feature,
    flavor: nb.flavor,
    workspace_id: nb.workspace_id,
    url: nb.url,
    token: nb.token,
    image: { ...nb.image },
    lease: leaseJson(nb.lease),
    volume: { ...nb.volume },
    // The address exists only while the instance runs.
    endpoints: nb.endpoints.map((e) =>
      running && e.service === 'SSH'
        ? { service: e.service, uri: sshUri(sshEndpoint), key_pair_names: [...e.key_pair_names] }
        : { service: e.service, key_pair_names: [...e.key_pair_names] },
    ),
    action_progress: progressFor(nb.status),
    tags: nb.tags.map((t) => ({ ...t })),
    user: { id: nb.owner.id, name: nb.owner.name },
    create_at: nb.create_at,
    update_at: nb.update_at,
  });
  return out;
}

/** The image as a notebook names it. */
export function imageRef(img: ImageRecord): NotebookRecord['image'] {
  return { id: img.id, name: img.name, swr_path: img.swr_path, tag: img.tag, type: img.type, description: img.description };
}

export function imageJson(img: ImageRecord): EmuJsonObject {
  const { next: _next, ...fields } = img;
  return { ...fields, dev_services: [...img.dev_services], resource_categories: [...img.resource_categories] };
}

export function flavorJson(f: FlavorRecord): EmuJsonObject {
  return { ...f, storages: [...f.storages], billing: { ...f.billing } };
}
