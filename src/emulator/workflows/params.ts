import { ApiFailure, queryValue, type EmuRequest, type EmuJsonObject } from '../framework';
import { cloneJson, isObject, stringAt } from '../familyKit';

// Reading workflow requests: the error answers (not found is 400 with a per-object code; anything the
// reference gives no code for is 400 ModelArts.0107), list parameters, step definitions and subscriptions.

export const LIST_DEFAULT_LIMIT = 10;
export const LIST_MAX_LIMIT = 100;

const STEP_TYPES: ReadonlySet<string> = new Set([
  'job',
  'labeling',
  'release_dataset',
  'model',
  'service',
  'mrs_job',
  'dataset_import',
  'create_dataset',
  'condition',
]);
export const WORKFLOW_NAME_RE = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\-\u4e00-\u9fa5]{0,63}$/;

const SUBSCRIPTION_STATUSES: ReadonlySet<string> = new Set([
  'init',
  'wait_inputs',
  'pending',
  'creating',
  'created',
  'create_failed',
  'running',
  'stopping',
  'stopped',
  'stop',
  'timeout',
  'completed',
  'failed',
  'hold',
  'skipped',
  'abnormal',
]);
const SUBSCRIPTION_EVENT_RE = /^(\*|[A-Za-z0-9_\-\u4e00-\u9fa5]+):([a-z_]+(?:,[a-z_]+)*)$/;

/** 400 invalid parameter values, naming what is wrong. */
export function invalid(message: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.0107', message);
}

export function workflowNotFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.7512', `Workflow ${id} does not exist.`);
}

export function executionNotFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.7511', `Workflow execution ${id} does not exist.`);
}

export function subscriptionNotFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.7519', `Workflow subscription ${id} does not exist.`);
}

export function bodyObject(request: EmuRequest, optional = false): Record<string, unknown> {
  const body = request.body;
  if (body === undefined && optional) return {};
  if (!isObject(body)) throw new ApiFailure(400, 'ModelArts.0101', 'The request body must be a JSON object.');
  return body;
}

export function intQuery(request: EmuRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = queryValue(request, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`Invalid ${name}: ${raw}; expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export function orderQuery(request: EmuRequest): 'asc' | 'desc' {
  const order = queryValue(request, 'order') || 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalid(`Invalid order: ${order}; expected asc or desc.`);
  return order;
}

export function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(`Invalid ${field}: expected an array of strings.`);
  return value as string[];
}

export function objectArray(value: unknown, field: string): EmuJsonObject[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => !isObject(v))) throw invalid(`Invalid ${field}: expected an array of objects.`);
  return cloneJson(value as EmuJsonObject[]);
}

/** Copies `value` from the named entries of `updates` onto `target` (parameters, data requirements). */
export function mergeValues(target: EmuJsonObject[], updates: unknown, field: string): void {
  if (updates === undefined || updates === null) return;
  for (const update of objectArray(updates, field)) {
    const name = stringAt(update, 'name');
    if (!name) throw invalid(`Invalid ${field}: every entry needs a name.`);
    const entry = target.find((t) => t.name === name);
    if (!entry) throw invalid(`Invalid ${field}: ${name} is not defined by the workflow.`);
    if (update.value !== undefined) entry.value = cloneJson(update.value);
  }
}

export function page<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/** Validates step definitions: unique names, known types, known dependencies, no cycle. */
export function validateSteps(value: unknown): EmuJsonObject[] {
  const steps = objectArray(value, 'steps');
  const names = new Set<string>();
  steps.forEach((step, i) => {
    const name = step.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 64) throw invalid(`Invalid steps[${i}].name: required, 1 to 64 characters.`);
    if (names.has(name)) throw invalid(`Invalid steps[${i}].name: step ${name} appears twice.`);
    names.add(name);
    const type = step.type;
    if (type !== undefined && (typeof type !== 'string' || !STEP_TYPES.has(type))) {
      throw invalid(`Invalid steps[${i}].type: ${JSON.stringify(type)}; expected one of ${[...STEP_TYPES].join(', ')}.`);
    }
  });
  for (const [i, step] of steps.entries()) {
    const depends = step.depend_steps ?? [];
    for (const dep of stringArray(depends, `steps[${i}].depend_steps`)) {
      if (!names.has(dep)) throw invalid(`Invalid steps[${i}].depend_steps: step ${dep} is not defined.`);
    }
  }
  // Kahn's algorithm: a cycle leaves steps that never become ready.
  const remaining = new Map(steps.map((s) => [s.name as string, new Set((s.depend_steps as string[] | undefined) ?? [])]));
  let progressed = true;
  while (remaining.size > 0 && progressed) {
    progressed = false;
    for (const [name, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(name);
        progressed = true;
      }
    }
  }
  if (remaining.size > 0) throw invalid(`Invalid steps: depend_steps form a cycle through ${[...remaining.keys()].join(', ')}.`);
  return steps;
}

/** `topic_urns`: required, a non-empty array of strings. */
export function topicUrns(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw invalid('Invalid topic_urns: required, a non-empty array of SMN topic URNs (strings).');
  }
  return [...(value as string[])];
}

/** `entity`: a string, the fallback when absent. */
export function subscriptionEntity(value: unknown, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw invalid('Invalid entity: expected a string.');
  return value;
}

/** `events`: strings in the grammar `<step name or *>:<status>[,<status>...]`; 400 names the bad event. */
export function subscriptionEvents(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('Invalid events: expected an array of "<step name or *>:<status>[,<status>...]" strings.');
  return value.map((event: unknown) => {
    const m = typeof event === 'string' ? SUBSCRIPTION_EVENT_RE.exec(event) : null;
    const bad = m ? m[2].split(',').find((s) => !SUBSCRIPTION_STATUSES.has(s)) : undefined;
    if (!m || bad !== undefined) {
      const why = bad !== undefined ? `unknown status ${bad}` : 'expected "<step name or *>:<status>[,<status>...]"';
      throw invalid(`Invalid events: ${JSON.stringify(event)}: ${why}.`);
    }
    return event as string;
  });
}
