// Training job spec files: format detection, parsing (JSON, or YAML with the `yaml` library), local checks
// that name the failing path, the starting template, and turning a job read from the service back into a
// spec that can be submitted again. No vscode here.

import type * as vscode from 'vscode';
import { YAMLParseError, parseDocument, stringify } from 'yaml';
import { isRecord } from '../../api/parse';
import type { TrainingJobCreateRequest } from '../../api/types';

export type SpecFormat = 'json' | 'yaml';

/** File names the spec schema is contributed for. */
export const SPEC_FILE_PATTERN = /\.modelarts-job\.(json|ya?ml)$/i;

export const JOB_KINDS = ['job', 'federated_pool_job', 'edge_job', 'hetero_job', 'mrs_job', 'autosearch_job', 'diag_job', 'visualization_job'] as const;

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const WORKSPACE_RE = /^(0|[a-z0-9]{32})$/;

type Json = Record<string, unknown>;

/** A spec that cannot be submitted: the message names the path (`metadata.name is required.`). */
export class SpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'SpecError';
  }
}

/** From the language id first (an untitled document has no name), then the file name. */
export function specFormatOf(languageId: string, fileName: string): SpecFormat | undefined {
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml') return 'yaml';
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  return undefined;
}

function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

class JsonStop extends Error {
  constructor(readonly offset: number) {
    super('invalid JSON');
  }
}

/**
 * Where JSON text first goes wrong (newer Node no longer names the offset in its message): a small
 * recursive-descent scan of the JSON grammar; undefined when the text is valid.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if ((text.charCodeAt(i) ?? 0) < 0x20) fail();
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m || m[0] === '') fail();
      else i += m[0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset;
    throw stop;
  }
}

/** Parses the document text; a syntax error names its line and column. Without a format, JSON then YAML. */
export function parseSpecText(text: string, format: SpecFormat | undefined, l10n: typeof vscode.l10n): unknown {
  if (text.trim() === '') throw new SpecError([l10n.t('The spec is empty.')]);
  if (format === 'json' || (format === undefined && /^\s*[{[]/.test(text))) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Older Node names the offset; newer Node does not, and the YAML parser (JSON is YAML) finds the spot.
      const position = /position (\d+)/.exec(message);
      const offset = position ? Number(position[1]) : jsonErrorOffset(text);
      const where = offset === undefined ? undefined : lineColumn(text, offset);
      if (where) throw new SpecError([l10n.t('Line {0}, column {1}: {2}', where.line, where.col, message)]);
      throw new SpecError([l10n.t('The spec is not valid JSON: {0}', message)]);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first instanceof YAMLParseError && first.linePos ? first.linePos[0] : undefined;
    // Pretty errors carry linePos; their message adds " at line N, column M:" and a snippet, dropped here.
    const message = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecError([pos ? l10n.t('Line {0}, column {1}: {2}', pos.line, pos.col, message) : l10n.t('The spec is not valid YAML: {0}', message)]);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

// ---------------------------------------------------------------- local checks (before any request)

function str(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Every problem found, each naming its path; empty when the spec can be sent. */
export function checkSpec(spec: unknown, l10n: typeof vscode.l10n): string[] {
  const problems: string[] = [];
  const required = (path: string): void => void problems.push(l10n.t('{0} is required.', path));
  if (!isRecord(spec)) return [l10n.t('The spec must be an object (a JSON object or a YAML mapping).')];

  if (spec.kind === undefined) required('kind');
  else if (typeof spec.kind !== 'string' || !(JOB_KINDS as readonly string[]).includes(spec.kind)) {
    problems.push(l10n.t('{0} must be one of {1}.', 'kind', JOB_KINDS.join(', ')));
  }

  const metadata = spec.metadata;
  if (!isRecord(metadata)) required('metadata');
  else {
    if (metadata.name === undefined || metadata.name === '') required('metadata.name');
    else if (typeof metadata.name !== 'string' || !NAME_RE.test(metadata.name)) {
      problems.push(l10n.t('{0} must be 1 to 64 letters, digits, "_" or "-".', 'metadata.name'));
    }
    if (metadata.description !== undefined && (typeof metadata.description !== 'string' || metadata.description.length > 256)) {
      problems.push(l10n.t('{0} must be text of at most {1} characters.', 'metadata.description', 256));
    }
    if (metadata.workspace_id !== undefined && (typeof metadata.workspace_id !== 'string' || !WORKSPACE_RE.test(metadata.workspace_id))) {
      problems.push(l10n.t('{0} must be "0" or a 32-character workspace id.', 'metadata.workspace_id'));
    }
  }

  const algorithm = spec.algorithm;
  if (!isRecord(algorithm)) required('algorithm');
  else checkAlgorithm(algorithm, problems, l10n);

  const body = spec.spec;
  if (!isRecord(body)) required('spec');
  else {
    const resource = body.resource;
    if (!isRecord(resource)) required('spec.resource');
    else {
      const count = resource.node_count;
      if (count === undefined) required('spec.resource.node_count');
      else if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
        problems.push(l10n.t('{0} must be a whole number of at least {1}.', 'spec.resource.node_count', 1));
      }
      if (resource.flavor_id !== undefined && !str(resource.flavor_id)) problems.push(l10n.t('{0} must be text.', 'spec.resource.flavor_id'));
      if (resource.flavor_id === undefined && resource.pool_id === undefined) {
        problems.push(l10n.t('{0} is required (or {1}).', 'spec.resource.flavor_id', 'spec.resource.pool_id'));
      }
    }
    const autoStop = body.auto_stop;
    if (isRecord(autoStop) && autoStop.duration !== undefined && (typeof autoStop.duration !== 'number' || autoStop.duration < 1)) {
      problems.push(l10n.t('{0} must be a whole number of at least {1}.', 'spec.auto_stop.duration', 1));
    }
    const policy = body.schedule_policy;
    if (isRecord(policy) && policy.priority !== undefined && ![1, 2, 3].includes(policy.priority as number)) {
      problems.push(l10n.t('{0} must be one of {1}.', 'spec.schedule_policy.priority', '1, 2, 3'));
    }
  }
  return problems;
}

function checkAlgorithm(algorithm: Json, problems: string[], l10n: typeof vscode.l10n): void {
  const engine = isRecord(algorithm.engine) ? algorithm.engine : undefined;
  const byId = str(algorithm.id);
  const bySubscription = str(algorithm.subscription_id) && str(algorithm.item_version_id);
  const byCode = str(algorithm.code_dir) && str(algorithm.boot_file);
  const byImage = str(engine?.image_url) && str(algorithm.command);
  if (!byId && !bySubscription && !byCode && !byImage) {
    problems.push(
      l10n.t(
        '{0} needs one of: {1}; {2} with {3}; {4} with {5}; {6} with {7}.',
        'algorithm',
        'id',
        'code_dir',
        'boot_file',
        'engine.image_url',
        'command',
        'subscription_id',
        'item_version_id',
      ),
    );
  }
  if (byCode && !byId && !byImage && !str(engine?.engine_id) && !(str(engine?.engine_name) && str(engine?.engine_version))) {
    problems.push(l10n.t('{0} is required with code_dir and boot_file (or engine_name with engine_version).', 'algorithm.engine.engine_id'));
  }
  const list = (key: 'parameters' | 'inputs' | 'outputs'): void => {
    const value = algorithm[key];
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      problems.push(l10n.t('{0} must be a list.', `algorithm.${key}`));
      return;
    }
    value.forEach((item, i) => {
      const path = `algorithm.${key}[${i}]`;
      if (!isRecord(item) || !str(item.name)) problems.push(l10n.t('{0} is required.', `${path}.name`));
      if (key !== 'parameters' && (!isRecord(item) || !isRecord(item.remote))) problems.push(l10n.t('{0} is required.', `${path}.remote`));
    });
  };
  list('parameters');
  list('inputs');
  list('outputs');
  const env = algorithm.environments;
  if (env !== undefined && env !== null) {
    if (!isRecord(env)) problems.push(l10n.t('{0} must be a map of names to values.', 'algorithm.environments'));
    else if (Object.keys(env).length > 100) problems.push(l10n.t('{0} may hold at most {1} entries.', 'algorithm.environments', 100));
  }
}

/**
 * The body to send: the checked spec without a `$schema` key (an editor hint, not a job field), with the
 * workspace filled in when the spec names none.
 */
export function toCreateRequest(spec: unknown, l10n: typeof vscode.l10n, workspaceId?: string): TrainingJobCreateRequest {
  const problems = checkSpec(spec, l10n);
  if (problems.length > 0) throw new SpecError(problems);
  const { $schema: _ignored, ...rest } = spec as Json;
  const request = structuredClone(rest) as TrainingJobCreateRequest;
  if (request.metadata.workspace_id === undefined && workspaceId !== undefined) request.metadata.workspace_id = workspaceId;
  return request;
}

// ---------------------------------------------------------------- writing specs

/** A small job that the service accepts as it is: a custom image, one CPU node. */
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
