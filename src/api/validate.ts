// Input checks made before any request. Each returns the reason (for an input box) or undefined.
// The API classes run the same checks and refuse with a ModelArtsError of kind 'invalid-input'.
// Rules come from the API reference; where it says nothing, the rule and its source are noted as an
// assumption next to it.

import { ModelArtsError } from './errors';
import {
  EXECUTION_STATUSES,
  STEP_STATUSES,
  type ExecutionActionName,
  type NotebookCreateRequest,
  type SaveImageRequest,
  type StepActionName,
  type TrainingJobCreateRequest,
  type WorkflowSubscriptionRequest,
} from './types';
import { isRecord } from './parse';
import { actionsIn, EXECUTION_LIFECYCLE, NOTEBOOK_LIFECYCLE, statesAllowing, STEP_LIFECYCLE } from './lifecycle';

export type Reason = string | undefined;

export function invalidInput(reason: string): ModelArtsError {
  return new ModelArtsError({ kind: 'invalid-input', message: reason });
}

/** Throws the reason as an 'invalid-input' error, before anything is sent. */
export function ensureValid(...reasons: Reason[]): void {
  const reason = reasons.find((r) => r !== undefined);
  if (reason !== undefined) throw invalidInput(reason);
}

function firstReason(...checks: (() => Reason)[]): Reason {
  for (const check of checks) {
    const reason = check();
    if (reason !== undefined) return reason;
  }
  return undefined;
}

// ---------------------------------------------------------------- generic

export function validateId(label: string, id: string): Reason {
  if (typeof id !== 'string' || id.trim() === '') return `The ${label} is required.`;
  if (id !== id.trim()) return `The ${label} must not start or end with a space.`;
  return undefined;
}

/** Workspace ids are "0" (the default workspace) or 32 lower-case letters and digits. */
export function validateWorkspaceId(id: string): Reason {
  if (typeof id !== 'string' || !/^(0|[a-z0-9]{32})$/.test(id)) return `Workspace id '${id}' must be "0" or 32 lower-case letters and digits.`;
  return undefined;
}

export type PageSizeRule = { min: number; max: number } | readonly number[];

export function validatePageSize(size: number, rule: PageSizeRule): Reason {
  if (Array.isArray(rule)) {
    const allowed = rule as readonly number[];
    return allowed.includes(size) ? undefined : `The page size must be one of ${allowed.join(', ')}.`;
  }
  const { min, max } = rule as { min: number; max: number };
  if (!Number.isInteger(size) || size < min || size > max) return `The page size must be a whole number from ${min} to ${max}.`;
  return undefined;
}

function validateText(label: string, text: string | undefined, max: number): Reason {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') return `The ${label} must be text.`;
  if ([...text].length > max) return `The ${label} is longer than ${max} characters.`;
  return undefined;
}

// ---------------------------------------------------------------- save image (training)

/** Required, at most 512 characters: lower-case letters, digits, `.`, `_`, `-` (the ModelArts API's save-image job, `name` and `tag`). */
export function validateImageName(name: string): Reason {
  if (typeof name !== 'string' || name === '') return 'The image name is required.';
  if (name.length > 512) return 'The image name is longer than 512 characters.';
  if (!/^[a-z0-9._-]+$/.test(name)) return 'The image name may contain only lower-case letters, digits, ".", "_" and "-".';
  return undefined;
}

/**
 * The SWR organization, by SWR's rule for organization names (Huawei Cloud SWR API, "Creating an
 * Organization", POST /v2/manage/namespaces, https://support.huaweicloud.com/en-us/api-swr/swr_02_0026.html):
 * 1 to 64 characters, starting with a lower-case letter and ending with a lower-case letter or digit; only
 * lower-case letters, digits, `.`, `_` and `-`; no two of `.`, `_`, `-` next to each other, except at most
 * two underscores (`a__b`).
 */
export function validateImageNamespace(namespace: string): Reason {
  if (typeof namespace !== 'string' || namespace === '') return 'The organization (namespace) is required.';
  if (namespace.length > 64) return 'The organization (namespace) is longer than 64 characters.';
  if (!/^[a-z]/.test(namespace)) return 'The organization (namespace) must start with a lower-case letter.';
  if (!/^[a-z0-9._-]+$/.test(namespace)) return 'The organization (namespace) may contain only lower-case letters, digits, ".", "_" and "-".';
  if (!/[a-z0-9]$/.test(namespace)) return 'The organization (namespace) must end with a lower-case letter or a digit.';
  // Separators stand alone, except a pair of underscores.
  if (/[._-]{2,}/.test(namespace.replace(/(?<![._-])__(?![._-])/g, '_'))) return 'The organization (namespace) cannot have ".", "_" or "-" next to each other (two underscores at most).';
  return undefined;
}

export const DEFAULT_IMAGE_TAG = 'latest';

/** The tag as sent: text, `latest` when empty. A number (the manual's example sends 0.1) becomes its text. */
export function normalizeImageTag(tag: string | number | undefined): string {
  if (tag === undefined || tag === '') return DEFAULT_IMAGE_TAG;
  return typeof tag === 'number' ? String(tag) : tag;
}

/** At most 64 characters: letters, digits, `.`, `_`, `-`; empty means `latest` (the ModelArts API's save-image job, `name` and `tag`). */
export function validateImageTag(tag: string | number | undefined): Reason {
  if (typeof tag === 'number' && !Number.isFinite(tag)) return 'The image tag must be a finite number or text.';
  if (tag !== undefined && typeof tag !== 'number' && typeof tag !== 'string') return 'The image tag must be text.';
  const text = normalizeImageTag(tag);
  if (text.length > 64) return 'The image tag is longer than 64 characters.';
  if (!/^[A-Za-z0-9._-]+$/.test(text)) return 'The image tag may contain only letters, digits, ".", "_" and "-".';
  return undefined;
}

export function validateImageDescription(description: string | undefined): Reason {
  return validateText('description', description, 512);
}

export function validateSaveImageRequest(request: SaveImageRequest): Reason {
  return firstReason(
    () => validateImageName(request.name),
    () => validateImageNamespace(request.namespace),
    () => validateImageTag(request.tag),
    () => validateImageDescription(request.description),
  );
}

// ---------------------------------------------------------------- training jobs

/** 1–64 letters, digits, `_`, `-` (the ModelArts API's training job create body, `metadata.name`). */
export function validateTrainingJobName(name: string): Reason {
  if (typeof name !== 'string' || name === '') return 'The training job name is required.';
  if (name.length > 64) return 'The training job name is longer than 64 characters.';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'The training job name may contain only letters, digits, "_" and "-".';
  return undefined;
}

export function validateTrainingJobCreate(request: TrainingJobCreateRequest): Reason {
  if (!isRecord(request)) return 'The training job spec must be a JSON object.';
  if (typeof request.kind !== 'string' || request.kind === '') return 'The training job "kind" is required (for example "job").';
  if (!isRecord(request.metadata)) return 'The training job "metadata" is required.';
  const metadata = request.metadata;
  return firstReason(
    () => validateTrainingJobName(metadata.name),
    () => validateText('description', metadata.description, 256),
    () => (metadata.workspace_id === undefined ? undefined : validateWorkspaceId(metadata.workspace_id)),
  );
}

// Assumption (the API reference gives no rule for training job tags): the Tag Management Service rules
// for predefined tags. Key 1–128 characters, value 0–255; letters of any script, digits, spaces and
// `_ . : = + - @` (and `/` in values); no space at either end; keys may not start with `_sys_`.
const TAG_KEY = /^[\p{L}\p{N} _.:=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]*$/u;

export function validateTagKey(key: string): Reason {
  if (typeof key !== 'string' || key === '') return 'The tag key is required.';
  if ([...key].length > 128) return 'The tag key is longer than 128 characters.';
  if (key !== key.trim()) return 'The tag key must not start or end with a space.';
  if (key.toLowerCase().startsWith('_sys_')) return 'The tag key must not start with "_sys_".';
  if (!TAG_KEY.test(key)) return 'The tag key may contain only letters, digits, spaces and _ . : = + - @.';
  return undefined;
}

export function validateTagValue(value: string): Reason {
  if (typeof value !== 'string') return 'The tag value must be text.';
  if ([...value].length > 255) return 'The tag value is longer than 255 characters.';
  if (value !== value.trim()) return 'The tag value must not start or end with a space.';
  if (!TAG_VALUE.test(value)) return 'The tag value may contain only letters, digits, spaces and _ . : / = + - @.';
  return undefined;
}

// ---------------------------------------------------------------- notebooks

export const HOUR_MS = 3_600_000;
export const NOTEBOOK_MIN_DURATION_MS = HOUR_MS;
export const NOTEBOOK_MAX_DURATION_MS = 72 * HOUR_MS;

/** Auto-stop after 1 h to 72 h, in whole milliseconds, or 'none' (the ModelArts API's notebook create body and lease, `duration`). */
export function validateNotebookDuration(duration: number | 'none'): Reason {
  if (duration === 'none') return undefined;
  if (typeof duration !== 'number' || !Number.isInteger(duration)) return 'The auto-stop time must be a whole number of milliseconds.';
  if (duration < NOTEBOOK_MIN_DURATION_MS || duration > NOTEBOOK_MAX_DURATION_MS) return 'The auto-stop time must be from 1 hour to 72 hours.';
  return undefined;
}

/** ≤128 letters, digits, `-`, `_` (the ModelArts API's notebook create body, `name`). */
export function validateNotebookName(name: string): Reason {
  if (typeof name !== 'string' || name === '') return 'The notebook name is required.';
  if (name.length > 128) return 'The notebook name is longer than 128 characters.';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'The notebook name may contain only letters, digits, "-" and "_".';
  return undefined;
}

/** ≤512 characters without `& < > " ' /` (the ModelArts API's notebook create body, `description`). */
export function validateNotebookDescription(description: string | undefined): Reason {
  const reason = validateText('description', description, 512);
  if (reason !== undefined || description === undefined) return reason;
  return /[&<>"'/]/.test(description) ? 'The description must not contain & < > " \' or /.' : undefined;
}

export function validateNotebookCreate(request: NotebookCreateRequest): Reason {
  if (!isRecord(request)) return 'The notebook request must be a JSON object.';
  return firstReason(
    () => validateNotebookName(request.name),
    () => validateId('image id', request.image_id),
    () => (isRecord(request.volume) ? undefined : 'The storage volume is required.'),
    () => (typeof request.volume.category === 'string' && request.volume.category !== '' ? undefined : 'The volume category is required.'),
    () => (typeof request.volume.ownership === 'string' && request.volume.ownership !== '' ? undefined : 'The volume ownership is required.'),
    () => validateNotebookDescription(request.description),
    () => (request.workspace_id === undefined ? undefined : validateWorkspaceId(request.workspace_id)),
    () => (request.duration === undefined ? undefined : validateNotebookDuration(request.duration === -1 ? 'none' : request.duration)),
    () => (request.lease?.duration === undefined ? undefined : validateNotebookDuration(request.lease.duration === -1 ? 'none' : request.lease.duration)),
  );
}

export type NotebookAction = 'start' | 'stop';

export function validateNotebookAction(action: NotebookAction, status: string | undefined): Reason {
  if (status === undefined) return undefined;
  return actionsIn(NOTEBOOK_LIFECYCLE, status).includes(action) ? undefined : `A notebook cannot be ${action === 'start' ? 'started' : 'stopped'} while it is ${status}.`;
}

// ---------------------------------------------------------------- workspaces

/**
 * A quota is a positive whole number or -1 for unlimited, within the quota's min/max (the manual's update
 * quotas request). -1 is allowed unless `allowUnlimited` is false.
 */
export function validateQuotaValue(
  value: number | string,
  limits: { min_quota?: number; max_quota?: number } = {},
  allowUnlimited = true,
): Reason {
  let n: number;
  if (typeof value === 'string') {
    if (!/^\s*-?\d+\s*$/.test(value)) return 'The quota must be a whole number (-1 for unlimited).';
    n = Number(value);
  } else {
    n = value;
  }
  if (!Number.isSafeInteger(n)) return 'The quota must be a whole number (-1 for unlimited).';
  if (n === -1) return allowUnlimited ? undefined : 'This quota cannot be unlimited (-1).';
  if (n < 1) return 'The quota must be a positive whole number, or -1 for unlimited.';
  if (limits.min_quota !== undefined && limits.min_quota > 1 && n < limits.min_quota) return `The quota must be at least ${limits.min_quota}.`;
  if (limits.max_quota !== undefined && limits.max_quota >= 0 && n > limits.max_quota) return `The quota must be at most ${limits.max_quota}.`;
  return undefined;
}

// ---------------------------------------------------------------- workflows

// Assumption: SMN topic URNs look like `urn:smn:<region>:<project id>:<topic name>`, topic names being
// 1–255 letters, digits, `-`, `_` starting with a letter or digit. The manual's own example subscribes to
// the bare name "fengbin26", so a bare topic name is accepted too (with a warning, see topicUrnWarning).
const TOPIC_NAME = '[A-Za-z0-9][A-Za-z0-9_-]{0,254}';
const TOPIC_URN = new RegExp(`^urn:smn:[a-z0-9-]+:[A-Za-z0-9]+:${TOPIC_NAME}$`);
const BARE_TOPIC = new RegExp(`^${TOPIC_NAME}$`);

export function validateTopicUrn(urn: string): Reason {
  if (typeof urn !== 'string' || urn === '') return 'The topic URN is required.';
  if (TOPIC_URN.test(urn) || BARE_TOPIC.test(urn)) return undefined;
  return `'${urn}' is not an SMN topic URN (urn:smn:<region>:<project id>:<topic name>).`;
}

/** A note for a valid but unusual topic: a bare topic name instead of a full URN. */
export function topicUrnWarning(urn: string): string | undefined {
  return BARE_TOPIC.test(urn) && !TOPIC_URN.test(urn)
    ? `'${urn}' is a topic name, not a full URN (urn:smn:<region>:<project id>:<topic name>).`
    : undefined;
}

/**
 * Statuses a subscription event may name: the step and execution status enums, plus `stop`, which the
 * manual's example uses (`job_step:stop`).
 */
export const SUBSCRIPTION_EVENT_STATUSES: readonly string[] = [...new Set<string>([...STEP_STATUSES, ...EXECUTION_STATUSES, 'stop'])];

// Assumption: step names are 1–64 letters (any script), digits, `_`, `-`, `.`; the reference only says
// they are unique within the workflow.
const STEP_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

/** `<step name or *>:<status>[,<status>…]`, e.g. `*:failed,completed` or `job_step:stop`. */
export function validateSubscriptionEvent(event: string): Reason {
  if (typeof event !== 'string' || event === '') return 'The event is required.';
  const colon = event.indexOf(':');
  if (colon < 0) return `Event '${event}' must look like <step name or *>:<status>[,<status>…].`;
  const target = event.slice(0, colon);
  const statuses = event.slice(colon + 1).split(',');
  if (target !== '*' && !STEP_NAME.test(target)) return `Event '${event}': '${target}' is neither * nor a step name.`;
  for (const status of statuses) {
    if (status === '') return `Event '${event}' has an empty status.`;
    if (!SUBSCRIPTION_EVENT_STATUSES.includes(status)) {
      return `Event '${event}': unknown status '${status}' (expected one of ${SUBSCRIPTION_EVENT_STATUSES.join(', ')}).`;
    }
  }
  return undefined;
}

export function validateSubscriptionRequest(request: WorkflowSubscriptionRequest): Reason {
  if (!isRecord(request)) return 'The subscription must be a JSON object.';
  if (!Array.isArray(request.topic_urns) || request.topic_urns.length === 0) return 'At least one topic URN is required.';
  for (const urn of request.topic_urns) {
    const reason = validateTopicUrn(urn);
    if (reason !== undefined) return reason;
  }
  if (request.entity !== undefined && typeof request.entity !== 'string') return 'The subscription entity must be text.';
  if (request.events !== undefined) {
    if (!Array.isArray(request.events)) return 'The subscription events must be a list.';
    for (const event of request.events) {
      const reason = validateSubscriptionEvent(event);
      if (reason !== undefined) return reason;
    }
  }
  return undefined;
}

/** In which step states each step action applies (read from the lifecycle table). */
export const STEP_ACTION_STATES: Readonly<Record<StepActionName, readonly string[]>> = {
  stop: statesAllowing(STEP_LIFECYCLE, 'stop'),
  retry: statesAllowing(STEP_LIFECYCLE, 'retry'),
  continue: statesAllowing(STEP_LIFECYCLE, 'continue'),
};

/** In which execution states each execution action applies (read from the lifecycle table). */
export const EXECUTION_ACTION_STATES: Readonly<Record<ExecutionActionName, readonly string[]>> = {
  stop: statesAllowing(EXECUTION_LIFECYCLE, 'stop'),
  rerun: statesAllowing(EXECUTION_LIFECYCLE, 'rerun'),
};

export function allowedStepActions(status: string | undefined): StepActionName[] {
  return actionsIn(STEP_LIFECYCLE, status);
}

export function allowedExecutionActions(status: string | undefined): ExecutionActionName[] {
  return actionsIn(EXECUTION_LIFECYCLE, status);
}

export function validateStepAction(action: StepActionName, status: string | undefined): Reason {
  if (!(action in STEP_ACTION_STATES)) return `Unknown step action '${String(action)}'.`;
  if (status === undefined) return undefined;
  return STEP_ACTION_STATES[action].includes(status)
    ? undefined
    : `A step in state '${status}' cannot ${action}; allowed in: ${STEP_ACTION_STATES[action].join(', ')}.`;
}

export function validateExecutionAction(action: ExecutionActionName, status: string | undefined): Reason {
  if (!(action in EXECUTION_ACTION_STATES)) return `Unknown execution action '${String(action)}'.`;
  if (status === undefined) return undefined;
  return EXECUTION_ACTION_STATES[action].includes(status)
    ? undefined
    : `An execution in state '${status}' cannot ${action}; allowed in: ${EXECUTION_ACTION_STATES[action].join(', ')}.`;
}

// ---------------------------------------------------------------- apps

/**
 * Assumption (the reference only says `app_name` is required): API Gateway's app naming rule, 3–64
 * characters of letters (any script), digits and `_`, starting with a letter.
 */
export function validateAppName(name: string): Reason {
  if (typeof name !== 'string' || name === '') return 'The app name is required.';
  if ([...name].length < 3 || [...name].length > 64) return 'The app name must be 3 to 64 characters long.';
  if (!/^\p{L}[\p{L}\p{N}_]*$/u.test(name)) return 'The app name must start with a letter and contain only letters, digits and "_".';
  return undefined;
}

/** ≤200 characters (the ModelArts API's app authentication, `remark`). */
export function validateAppRemark(remark: string | undefined): Reason {
  return validateText('app description', remark, 200);
}
