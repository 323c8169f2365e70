// The run configuration of Run on ModelArts, `.modelarts/run.modelarts-job.yaml`: a training job spec (checked by
// the spec checker) plus a `code` block saying which local folder is uploaded to which OBS folder. Here: reading
// the code block, writing a new configuration, and the create request of one run. No vscode here.

import type { TrainingJobCreateRequest } from '../../api/types';
import { formatSpec } from '../specs/spec';

/** Where the configuration lives, relative to the workspace folder it belongs to. */
export const RUN_CONFIG_FOLDER = '.modelarts';
export const RUN_CONFIG_FILE = 'run.modelarts-job.yaml';

type Json = Record<string, unknown>;

/** The code block, resolved: the folder relative to the configuration's workspace folder, the OBS folder split. */
export interface RunCode {
  /** `/`-separated, relative to the folder holding `.modelarts/`; `.` for that folder itself. */
  folder: string;
  bucket: string;
  /** Ends in `/`, never empty. */
  prefix: string;
  exclude: string[];
}

/** `obs://bucket/a/b/` → bucket and `a/b/`; undefined for anything else (the bucket root included). */
export function parseObsFolder(url: string): { bucket: string; prefix: string } | undefined {
  const m = /^obs:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/((?:[^/]+\/)+)$/.exec(url);
  return m ? { bucket: m[1], prefix: m[2] } : undefined;
}

export function obsFolderUrl(bucket: string, prefix: string): string {
  return `obs://${bucket}/${prefix}`;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The code block of a configuration the checker passed; undefined when the spec has none. */
export function runCodeOf(spec: unknown): RunCode | undefined {
  if (!isRecord(spec) || !isRecord(spec.code)) return undefined;
  const code = spec.code;
  const obs = typeof code.obs === 'string' ? parseObsFolder(code.obs) : undefined;
  if (!obs) return undefined;
  const folder = typeof code.folder === 'string' && code.folder.trim() !== '' ? code.folder.replace(/\\/g, '/').replace(/\/+$/, '') || '.' : '.';
  const exclude = Array.isArray(code.exclude) ? code.exclude.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  return { folder, ...obs, exclude };
}

/** The boot file of a configuration, relative to the code folder. */
export function bootFileOf(spec: unknown): string | undefined {
  if (!isRecord(spec) || !isRecord(spec.algorithm)) return undefined;
  const boot = spec.algorithm.boot_file;
  return typeof boot === 'string' && boot !== '' ? boot.replace(/^\.\//, '') : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `<name>-<yyyymmdd>-<hhmmss>` in local time, at most 64 characters: each run is a job of its own. */
export function runJobName(base: string, now: Date): string {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${base.slice(0, 64 - stamp.length - 1)}-${stamp}`;
}

/** A job name from a folder name: letters, digits, `_` and `-` only. */
export function jobNameForFolder(folderName: string): string {
  const cleaned = folderName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return cleaned === '' ? 'run' : cleaned;
}

/** The last folder of the prefix: where ModelArts puts the code in the container, under `${MA_JOB_DIR}`. */
function containerFolder(prefix: string): string {
  const parts = prefix.split('/').filter((part) => part !== '');
  return parts[parts.length - 1];
}

/**
 * The request of one run: the configuration without its code block, under the run's name, with `code_dir` at the
 * uploaded folder and the boot file as a path in it. A custom image gets a command that runs the boot file.
 */
export function runCreateRequest(spec: unknown, code: RunCode, options: { name: string; workspaceId?: string }): TrainingJobCreateRequest {
  const { code: _code, $schema: _schema, ...rest } = structuredClone(spec) as Json;
  const request = rest as TrainingJobCreateRequest;
  request.metadata = { ...request.metadata, name: options.name };
  if (request.metadata.workspace_id === undefined && options.workspaceId !== undefined) request.metadata.workspace_id = options.workspaceId;
  const algorithm: Json = request.algorithm ?? {};
  const boot = bootFileOf(spec);
  algorithm.code_dir = `/${code.bucket}/${code.prefix}`;
  const engine = isRecord(algorithm.engine) ? algorithm.engine : {};
  if (typeof engine.image_url === 'string' && engine.image_url !== '') {
    // A custom image runs a command, not a boot file; the code folder is downloaded to ${MA_JOB_DIR}/<last folder>.
    delete algorithm.boot_file;
    if (boot && (typeof algorithm.command !== 'string' || algorithm.command === '')) {
      const runner = boot.endsWith('.sh') ? 'bash' : 'python';
      algorithm.command = `${runner} \${MA_JOB_DIR}/${containerFolder(code.prefix)}/${boot}`;
    }
  } else if (boot) algorithm.boot_file = `/${code.bucket}/${code.prefix}${boot}`;
  request.algorithm = algorithm;
  return request;
}

/** What the first run asked, to be saved. */
export interface RunAnswers {
  name: string;
  workspaceId: string;
  engine: { engine_id: string } | { engine_name: string; engine_version: string } | { image_url: string };
  flavorId: string;
  nodeCount: number;
  /** Relative to the code folder, `/`-separated. */
  bootFile: string;
  /** Relative to the folder holding `.modelarts/`. */
  folder: string;
  bucket: string;
  prefix: string;
  /** `obs://bucket/path/` or none. */
  outputs?: string;
}

export function newRunConfiguration(answers: RunAnswers): Json {
  const algorithm: Json = { engine: answers.engine, boot_file: answers.bootFile };
  if (answers.outputs) algorithm.outputs = [{ name: 'output', remote: { obs: { obs_url: answers.outputs.replace(/^obs:\//, '') } } }];
  return {
    kind: 'job',
    metadata: { name: answers.name, workspace_id: answers.workspaceId },
    algorithm,
    spec: { resource: { flavor_id: answers.flavorId, node_count: answers.nodeCount } },
    code: { folder: answers.folder, obs: obsFolderUrl(answers.bucket, answers.prefix), exclude: [] },
  };
}

export const RUN_CONFIG_HINT = [
  'Run on ModelArts: uploads code.folder to code.obs (keeping that OBS folder a copy of it: objects there that are',
  'not local are deleted) and submits this training job. .gitignore, .modelartsignore and code.exclude say what is',
  'not uploaded. algorithm.boot_file is relative to code.folder. Each run is a job named metadata.name-<date>-<time>.',
].join('\n');

export function formatRunConfiguration(spec: Json): string {
  return formatSpec(spec, 'yaml', RUN_CONFIG_HINT);
}
