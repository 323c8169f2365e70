import { ApiFailure, type EmuJsonObject } from '../framework';
import { cloneJson, isObject, objectAt, stringAt } from '../familyKit';
import { ALGORITHMS_BY_ID, ENGINES, ENGINES_BY_ID, FLAVORS_BY_ID, KINDS, POOLS, engineRef, jobParameter, type Engine } from './catalog';
import { badParam, withoutEmpty } from './params';
import type { JobDoc } from './records';

// A create-training-job body, validated field by field (400 naming the field) and turned into the job doc
// the API answers with: algorithms by id filled in from the catalogue, flavor details added, phase Creating.

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const WORKSPACE_RE = /^(0|[0-9a-f]{32})$/;
const ALGORITHM_NOT_FOUND = {
  msg: 'algorithm not found.',
  solution: 'Check whether the training project information in the request is valid.',
};

/** A parameter value as text: strings as they are, numbers and booleans printed, anything else the fallback. */
function scalarText(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

/** Validates a create body and builds the job doc (phase Creating). */
export function buildJobDoc(body: Record<string, unknown>, id: string, now: number, userName: string): JobDoc {
  const kind = body.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw badParam(`Invalid kind: ${JSON.stringify(kind ?? null)}; required, one of ${[...KINDS].join(', ')}.`);
  }
  const metadata = objectAt(body, 'metadata');
  if (!metadata) throw badParam('Invalid metadata: required.');
  const name = metadata.name;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw badParam('Invalid metadata.name: required, 1 to 64 characters: letters, digits, hyphens (-) and underscores (_).');
  }
  const description = metadata.description ?? '';
  if (typeof description !== 'string' || description.length > 256) throw badParam('Invalid metadata.description: at most 256 characters.');
  const workspaceId = metadata.workspace_id ?? '0';
  if (typeof workspaceId !== 'string' || !WORKSPACE_RE.test(workspaceId)) {
    throw badParam('Invalid metadata.workspace_id: "0" or a 32-character workspace id.');
  }
  const annotations = objectAt(metadata, 'annotations');
  const algorithm = buildAlgorithm(objectAt(body, 'algorithm'));
  const spec = buildSpec(objectAt(body, 'spec'));
  const nodeCount = (objectAt(spec, 'resource') ?? {}).node_count as number;
  const tasks = Array.from({ length: nodeCount }, (_, i) => `worker-${i}`);
  const doc: JobDoc = {
    kind,
    metadata: {
      id,
      name,
      description,
      create_time: now,
      workspace_id: workspaceId,
      user_name: userName,
      ...(annotations ? { annotations: cloneJson(annotations) as Record<string, string> } : {}),
    },
    status: { phase: 'Creating', secondary_phase: 'Creating', duration: 0, start_time: 0, node_count_metrics: null, tasks },
    algorithm,
    spec,
  };
  const endpoints = objectAt(body, 'endpoints');
  if (endpoints) doc.endpoints = cloneJson(endpoints);
  return doc;
}

function buildAlgorithm(algorithm: Record<string, unknown> | undefined): EmuJsonObject {
  if (!algorithm) throw badParam('Invalid algorithm: required.');
  const requested = cloneJson(algorithm);
  const engineIn = objectAt(requested, 'engine');
  const policies = objectAt(requested, 'policies');
  const cleanPolicies = policies ? withoutEmpty(policies) : undefined;
  const environments = environmentList(requested.environments);
  const extras: EmuJsonObject = {};
  for (const [key, value] of Object.entries(requested)) {
    if (['id', 'name', 'code_dir', 'boot_file', 'parameters', 'engine', 'policies', 'environments', 'command'].includes(key)) continue;
    extras[key] = value;
  }
  const tail: EmuJsonObject = {
    ...(cleanPolicies ? { policies: cleanPolicies } : {}),
    ...(environments ? { environments } : {}),
    ...extras,
  };
  const requestParams = Array.isArray(requested.parameters) ? requested.parameters.filter(isObject) : [];
  const id = stringAt(requested, 'id');
  if (id) {
    const found = ALGORITHMS_BY_ID.get(id);
    if (!found) throw new ApiFailure(400, 'ModelArts.2755', ALGORITHM_NOT_FOUND.msg, { error_solution: ALGORITHM_NOT_FOUND.solution });
    const parameters = found.parameters.map((p) => {
      const given = requestParams.find((q) => q.name === p.name);
      return jobParameter(p, given ? scalarText(given.value, p.value) : p.value);
    });
    for (const q of requestParams) {
      if (typeof q.name === 'string' && !found.parameters.some((p) => p.name === q.name)) {
        parameters.push(jobParameter({ name: q.name, value: '', type: 'String' }, scalarText(q.value, '')));
      }
    }
    return {
      id,
      name: found.name,
      code_dir: found.code_dir,
      boot_file: found.boot_file,
      parameters,
      engine: engineRef(found.engine),
      policies: cleanPolicies ?? {},
      ...(environments ? { environments } : {}),
      ...extras,
    };
  }
  const codeDir = stringAt(requested, 'code_dir');
  const bootFile = stringAt(requested, 'boot_file');
  if (codeDir && bootFile) {
    const engine = resolveEngine(engineIn);
    if (!engine) throw badParam('Invalid algorithm.engine: engine_id, or engine_name with engine_version, is required with code_dir and boot_file.');
    return { code_dir: codeDir, boot_file: bootFile, parameters: requestParams, engine: engineRef(engine), ...tail };
  }
  const imageUrl = engineIn ? stringAt(engineIn, 'image_url') : undefined;
  const command = stringAt(requested, 'command');
  if (imageUrl && command) {
    return { engine: engineIn ?? {}, command, parameters: requestParams, ...tail };
  }
  if (stringAt(requested, 'subscription_id') && stringAt(requested, 'item_version_id')) {
    return { parameters: requestParams, ...tail };
  }
  throw badParam('Invalid algorithm: one of id, code_dir with boot_file, engine.image_url with command, or subscription_id with item_version_id is required.');
}

/** At most this many variables in `algorithm.environments`. */
const MAX_ENVIRONMENTS = 100;

/**
 * `algorithm.environments` as the reference's response model has it: a list of maps, one variable each
 * (`[{"NCCL_DEBUG": "INFO"}, …]`). A create may send one map (the reference's request) or such a list (the
 * SDK's model); both are read. Undefined when there is none.
 */
function environmentList(value: unknown): EmuJsonObject[] | undefined {
  if (value === undefined || value === null) return undefined;
  const maps = Array.isArray(value) ? value : [value];
  const list: EmuJsonObject[] = [];
  for (const map of maps) {
    if (!isObject(map)) throw badParam('Invalid algorithm.environments: a map of names to values, or a list of such maps.');
    for (const [name, variable] of Object.entries(map)) list.push({ [name]: cloneJson(variable) });
  }
  if (list.length > MAX_ENVIRONMENTS) throw badParam(`Invalid algorithm.environments: at most ${MAX_ENVIRONMENTS} variables.`);
  return list.length > 0 ? list : undefined;
}

function resolveEngine(engine: Record<string, unknown> | undefined): Engine | undefined {
  if (!engine) return undefined;
  const id = stringAt(engine, 'engine_id');
  if (id) {
    const found = ENGINES_BY_ID.get(id);
    if (!found) throw badParam(`Invalid algorithm.engine.engine_id: engine ${id} not found.`);
    return found;
  }
  const name = stringAt(engine, 'engine_name');
  const version = stringAt(engine, 'engine_version');
  if (name && version) {
    const found = ENGINES.find((e) => e.engine_name === name && e.engine_version === version);
    if (!found) throw badParam(`Invalid algorithm.engine: engine ${name} ${version} not found.`);
    return found;
  }
  return undefined;
}

function buildSpec(spec: Record<string, unknown> | undefined): EmuJsonObject {
  if (!spec) throw badParam('Invalid spec: required.');
  const resource = objectAt(spec, 'resource');
  if (!resource) throw badParam('Invalid spec.resource: required.');
  const nodeCount = resource.node_count;
  if (typeof nodeCount !== 'number' || !Number.isInteger(nodeCount) || nodeCount < 1) {
    throw badParam('Invalid spec.resource.node_count: required, an integer of at least 1.');
  }
  const poolId = resource.pool_id;
  if (poolId !== undefined && (typeof poolId !== 'string' || !POOLS.has(poolId))) {
    throw badParam(`Invalid spec.resource.pool_id: resource pool ${JSON.stringify(poolId)} not found.`);
  }
  const flavorId = resource.flavor_id;
  if (flavorId !== undefined && typeof flavorId !== 'string') throw badParam('Invalid spec.resource.flavor_id: expected a string.');
  const flavor = flavorId ? FLAVORS_BY_ID.get(flavorId) : undefined;
  if (!poolId) {
    if (!flavorId) throw badParam('Invalid spec.resource.flavor_id: required unless pool_id is given.');
    if (!flavor || flavor.pool_id) throw new ApiFailure(400, 'ModelArts.2781', `Flavor ${flavorId} not found.`);
  }
  if (flavor && nodeCount > flavor.max_num) {
    throw badParam(`Invalid spec.resource.node_count: flavor ${flavor.flavor_id} allows at most ${flavor.max_num} nodes.`);
  }
  const out: EmuJsonObject = {
    resource: {
      policy: 'regular',
      ...(flavorId ? { flavor_id: flavorId } : {}),
      ...(flavor && !flavor.omitNameInJob ? { flavor_name: flavor.flavor_name } : {}),
      node_count: nodeCount,
      ...(poolId ? { pool_id: poolId } : {}),
      ...(flavor ? { flavor_detail: cloneJson(flavor.detail) } : {}),
    },
  };
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'resource') continue;
    out[key] = key === 'log_export_path' && isObject(value) ? withoutEmpty(value) : cloneJson(value);
  }
  return out;
}
