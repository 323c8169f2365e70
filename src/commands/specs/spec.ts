// Training job spec files: format detection, the starting template, the request body of a checked spec, and
// turning a job read from the service back into a spec that can be submitted again. The checks themselves are
// in specCheck.ts, a bundle of its own loaded on first use: nothing here imports it. No vscode here.

import type * as vscode from 'vscode';
import { stringify } from 'yaml';
import { isRecord } from '../../api/parse';
import type { TrainingJobCreateRequest } from '../../api/types';
import type { SpecFormat } from './specSource';

export type { SpecFormat } from './specSource';

/** File names the spec schema is contributed for, and the Problems panel checks. */
export const SPEC_FILE_PATTERN = /\.modelarts-job\.(json|ya?ml)$/i;

type Json = Record<string, unknown>;

/** A spec that cannot be submitted: the message names the path (`metadata.name is required.`). */
export class SpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'SpecError';
  }
}

/**
 * A run configuration (`.modelarts/run.modelarts-job.yaml`): a spec with a `code` block saying which local folder
 * to upload where. "Run on ModelArts" submits it, never Submit Training Job (the service knows no `code` key).
 */
export function isRunConfiguration(spec: unknown): boolean {
  return isRecord(spec) && isRecord(spec.code);
}

/** From the language id first (an untitled document has no name), then the file name. */
export function specFormatOf(languageId: string, fileName: string): SpecFormat | undefined {
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml') return 'yaml';
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  return undefined;
}

// ---------------------------------------------------------------- the request

function str(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * The body to send for a spec the checker passed: without a `$schema` key (an editor hint, not a job field),
 * with the workspace filled in when the spec names none.
 */
export function toCreateRequest(spec: unknown, workspaceId?: string): TrainingJobCreateRequest {
  const { $schema: _ignored, ...rest } = spec as Json;
  const request = structuredClone(rest) as TrainingJobCreateRequest;
  if (request.metadata.workspace_id === undefined && workspaceId !== undefined) request.metadata.workspace_id = workspaceId;
  return request;
}

// ---------------------------------------------------------------- writing specs

/** A small job on a custom image and one CPU node; the image path holds placeholders the checker asks to replace. */
export function templateSpec(name: string): Json {
  return {
    kind: 'job',
    metadata: { name, description: '' },
    algorithm: {
      engine: { image_url: 'swr.cn-north-4.myhuaweicloud.com/<organization>/<image>:<tag>' },
      command: 'python /home/ma-user/code/train.py',
      parameters: [{ name: 'epochs', value: '10' }],
      environments: {},
    },
    spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
  };
}

/** The document text; YAML starts with a comment saying how to submit it. */
export function formatSpec(spec: unknown, format: SpecFormat, hint?: string): string {
  if (format === 'json') return `${JSON.stringify(spec, null, 2)}\n`;
  const head = hint ? `${hint.split('\n').map((line) => `# ${line}`).join('\n')}\n` : '';
  return head + stringify(spec, { lineWidth: 0 });
}

export function specFileName(name: string, format: SpecFormat): string {
  return `${name}.modelarts-job.${format === 'json' ? 'json' : 'yaml'}`;
}

// ---------------------------------------------------------------- job -> spec

const METADATA_KEPT = ['name', 'workspace_id', 'description', 'annotations', 'training_experiment_reference'];
const RESOURCE_KEPT = ['flavor_id', 'node_count', 'pool_id', 'pool_group_id', 'main_container_customized_flavor'];
const TOP_KEPT = ['kind', 'metadata', 'algorithm', 'spec', 'endpoints', 'train_type', 'ftjob_config'];

function pick(obj: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) if (obj[key] !== undefined && obj[key] !== null) out[key] = structuredClone(obj[key]);
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.values(value).every(isEmpty);
}

/** The response model has environments as a list of maps; the request takes one map. */
function environmentsMap(value: unknown): Json | undefined {
  if (isRecord(value)) return { ...value };
  if (Array.isArray(value)) return Object.assign({}, ...value.filter(isRecord)) as Json;
  return undefined;
}

function specParameters(value: unknown): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((p) => ({
    name: p.name,
    value: p.value ?? '',
    ...(str(p.description) ? { description: p.description } : {}),
  }));
}

function specAlgorithm(algorithm: Json): Json {
  const out: Json = {};
  const engine = isRecord(algorithm.engine) ? algorithm.engine : {};
  if (str(algorithm.id)) {
    // The service fills name, code, boot file and engine in from the algorithm: send only the reference.
    out.id = algorithm.id;
  } else if (str(algorithm.subscription_id)) {
    Object.assign(out, pick(algorithm, ['subscription_id', 'item_version_id']));
  } else if (str(algorithm.code_dir) && str(algorithm.boot_file)) {
    Object.assign(out, pick(algorithm, ['code_dir', 'boot_file']));
    out.engine = str(engine.engine_id) ? { engine_id: engine.engine_id } : pick(engine, ['engine_name', 'engine_version']);
  } else {
    out.engine = pick(engine, ['image_url', 'install_sys_packages', 'image_repo_id']);
    if (algorithm.command !== undefined) out.command = algorithm.command;
  }
  const parameters = specParameters(algorithm.parameters);
  if (parameters && parameters.length > 0) out.parameters = parameters;
  for (const key of ['inputs', 'outputs', 'local_code_dir', 'working_dir', 'summary', 'autosearch_config_path', 'autosearch_framework_path']) {
    if (!isEmpty(algorithm[key])) out[key] = structuredClone(algorithm[key]);
  }
  if (isRecord(algorithm.policies) && !isEmpty(algorithm.policies)) out.policies = structuredClone(algorithm.policies);
  const env = environmentsMap(algorithm.environments);
  if (env && Object.keys(env).length > 0) out.environments = env;
  return out;
}

/**
 * A job as the service answers it (create, get or list item) turned into a spec that can be submitted:
 * status, ids, times, the user, flavor details and what the service fills in are dropped; endpoints keep
 * only the SSH key pair names (a Jupyter token never reaches the document).
 */
export function jobToSpec(job: unknown, l10n: typeof vscode.l10n): Json {
  if (!isRecord(job)) throw new SpecError([l10n.t('The training job could not be read as an object.')]);
  const out: Json = {};
  for (const key of TOP_KEPT) {
    const value = job[key];
    if (value === undefined || value === null) continue;
    if (key === 'metadata' && isRecord(value)) out.metadata = pick(value, METADATA_KEPT);
    else if (key === 'algorithm' && isRecord(value)) out.algorithm = specAlgorithm(value);
    else if (key === 'spec' && isRecord(value)) {
      const spec: Json = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === 'resource' && isRecord(v)) spec.resource = pick(v, RESOURCE_KEPT);
        else if (!isEmpty(v)) spec[k] = structuredClone(v);
      }
      out.spec = spec;
    } else if (key === 'endpoints' && isRecord(value)) {
      const ssh = isRecord(value.ssh) ? value.ssh : undefined;
      if (ssh && Array.isArray(ssh.key_pair_names) && ssh.key_pair_names.length > 0) out.endpoints = { ssh: { key_pair_names: [...(ssh.key_pair_names as unknown[])] } };
    } else out[key] = structuredClone(value);
  }
  out.kind ??= 'job';
  if (isRecord(out.metadata) && out.metadata.description === '') delete out.metadata.description;
  return out;
}

// ---------------------------------------------------------------- clone naming

const COPY_SUFFIX = /-copy-(\d+)$/;

/** `<name>-copy-N`, N the smallest number not taken by `taken`; a copy's copy counts on from its base. */
export function cloneName(name: string, taken: Iterable<string>): string {
  const base = name.replace(COPY_SUFFIX, '');
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const suffix = `-copy-${n}`;
    const candidate = `${base.slice(0, 64 - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The name part to search for when listing names a clone must avoid. */
export function cloneBaseName(name: string): string {
  return name.replace(COPY_SUFFIX, '');
}
