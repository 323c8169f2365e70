// "Show Details": a read-only JSON document per resource on the `modelarts` scheme
// (`modelarts:/<profile>/notebook/<id>/<name>.json`, so its tab reads `<name>.json` while the id keeps two
// resources of one name apart), filled by a fresh GET, with every secret replaced by `***`.
// Only types come from vscode here, so the document text is tested in plain Node.

import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../api/client';
import { REDACTED, type Redactor } from '../api/redact';

export const DETAILS_SCHEME = 'modelarts';

export type DetailsTarget =
  | { kind: 'workspace'; workspaceId: string }
  | { kind: 'trainingJob'; jobId: string }
  | { kind: 'task'; jobId: string; task: string }
  | { kind: 'notebook'; notebookId: string }
  | { kind: 'workflow'; workflowId: string }
  | { kind: 'execution'; workflowId: string; executionId: string }
  | { kind: 'step'; workflowId: string; executionId: string; stepId: string }
  | { kind: 'app'; appId: string }
  | { kind: 'subscription'; workflowId: string; subscriptionId: string };

const enc = encodeURIComponent;

function segments(target: DetailsTarget): string[] {
  switch (target.kind) {
    case 'workspace':
      return ['workspace', target.workspaceId];
    case 'trainingJob':
      return ['trainingJob', target.jobId];
    case 'task':
      return ['trainingJob', target.jobId, 'task', target.task];
    case 'notebook':
      return ['notebook', target.notebookId];
    case 'workflow':
      return ['workflow', target.workflowId];
    case 'execution':
      return ['workflow', target.workflowId, 'execution', target.executionId];
    case 'step':
      return ['workflow', target.workflowId, 'execution', target.executionId, 'step', target.stepId];
    case 'app':
      return ['app', target.appId];
    case 'subscription':
      return ['workflow', target.workflowId, 'subscription', target.subscriptionId];
  }
}

/**
 * The resource's name as the last segment of a path (the tab's title): no separators, no control, format
 * (bidirectional override, zero-width) or separator characters, so a title cannot pretend to be another.
 */
function titleSegment(name: string): string {
  return name.replace(/[/\\%\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, '_').slice(0, 100);
}

/**
 * The document's path: `/<profile>/<kind>/<id>[/…][/<name>].json`, every segment but the name percent-encoded.
 * The name is left readable (a tab shows it as it is, CJK included) and is never read back.
 */
export function detailsPath(profile: string, target: DetailsTarget, name?: string): string {
  const title = name === undefined ? '' : titleSegment(name.trim());
  return `/${[profile, ...segments(target)].map(enc).join('/')}${title === '' ? '' : `/${title}`}.json`;
}

/** The profile and resource of a details path; undefined for anything else. */
export function parseDetailsPath(path: string): { profile: string; target: DetailsTarget } | undefined {
  if (!path.startsWith('/') || !path.endsWith('.json')) return undefined;
  let parts = path.slice(1, -'.json'.length).split('/');
  // Every target has an odd number of segments with the profile; a name makes it even.
  if (parts.length % 2 === 0) parts = parts.slice(0, -1);
  try {
    parts = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '')) return undefined;
  const [profile, ...rest] = parts;
  if (profile === undefined) return undefined;
  const target = ((): DetailsTarget | undefined => {
    const [a, b, c, d, e, f] = rest;
    if (b === undefined) return undefined;
    if (rest.length === 2 && a === 'workspace') return { kind: 'workspace', workspaceId: b };
    if (rest.length === 2 && a === 'trainingJob') return { kind: 'trainingJob', jobId: b };
    if (rest.length === 4 && a === 'trainingJob' && c === 'task' && d !== undefined) return { kind: 'task', jobId: b, task: d };
    if (rest.length === 2 && a === 'notebook') return { kind: 'notebook', notebookId: b };
    if (rest.length === 2 && a === 'workflow') return { kind: 'workflow', workflowId: b };
    if (rest.length === 4 && a === 'workflow' && c === 'execution' && d !== undefined) return { kind: 'execution', workflowId: b, executionId: d };
    if (rest.length === 6 && a === 'workflow' && c === 'execution' && d !== undefined && e === 'step' && f !== undefined)
      return { kind: 'step', workflowId: b, executionId: d, stepId: f };
    if (rest.length === 2 && a === 'app') return { kind: 'app', appId: b };
    if (rest.length === 4 && a === 'workflow' && c === 'subscription' && d !== undefined) return { kind: 'subscription', workflowId: b, subscriptionId: d };
    return undefined;
  })();
  return target && { profile, target };
}

/** Fetches the resource afresh (one GET; a task or step comes with the resource that holds it). */
export async function fetchDetails(client: ModelArtsClient, target: DetailsTarget, signal?: AbortSignal): Promise<unknown> {
  switch (target.kind) {
    case 'workspace':
      return client.workspaces.get(target.workspaceId, signal);
    case 'trainingJob':
      return client.trainingJobs.get(target.jobId, signal);
    case 'task': {
      const tasks = await client.trainingJobs.listTasks(target.jobId, {}, signal);
      return tasks.find((t) => t.task === target.task) ?? { task: target.task, job_id: target.jobId };
    }
    case 'notebook':
      return client.notebooks.get(target.notebookId, signal);
    case 'workflow':
      return client.workflows.get(target.workflowId, {}, signal);
    case 'execution':
      return client.workflows.getExecution(target.workflowId, target.executionId, signal);
    case 'step': {
      const execution = await client.workflows.getExecution(target.workflowId, target.executionId, signal);
      return execution.steps_execution.find((s) => s.uuid === target.stepId) ?? { uuid: target.stepId, execution_id: target.executionId };
    }
    case 'app':
      return client.apps.get(target.appId, signal);
    case 'subscription':
      return client.workflows.getSubscription(target.workflowId, target.subscriptionId, signal);
  }
}

/**
 * Field names whose values are secrets: a notebook's `token`, an app's `app_secret`, `app_key` and app codes, and
 * anything named like a token, secret, password, security token or auth credential (but not `auth_type`).
 */
export function isSecretField(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_\s]/g, '');
  if (n === 'auth' || n === 'authorization' || n === 'authtoken' || n === 'appkey' || n === 'appcode' || n === 'appcodes' || n === 'sk' || n === 'ak') return true;
  return /token|secret|passw(or)?d|credential|privatekey/.test(n);
}

/** A deep copy with every secret field's value replaced by `***` (parser notes dropped). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (depth === 0 && key === 'problems') continue;
    out[key] = isSecretField(key) && v !== null && v !== '' ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out;
}

/** `\u202e`; a character past U+FFFF as its two UTF-16 halves (`\udb40\udc01`), as JSON writes them. */
function jsonEscape(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Pretty JSON of the resource with secrets replaced, then the redactor over the whole text. Invisible characters
 * in strings (bidirectional overrides, zero-width ones) are written as JSON escapes (`\u202e`): the same JSON,
 * and nothing in it reorders or hides what follows.
 */
export function detailsText(value: unknown, redactor: Redactor): string {
  const json = JSON.stringify(redactSecrets(value), null, 2).replace(/[\p{Cf}\p{Zl}\p{Zp}\u007f-\u009f]/gu, (c) => jsonEscape(c));
  return `${redactor.redact(json)}\n`;
}

export interface DetailsDeps {
  /** The client of `profile` when it is the active session's. */
  clientFor(profile: string): ModelArtsClient | undefined;
  redactor: Redactor;
  /** Fires to make an open document read again. */
  onDidChange?: vscode.Event<vscode.Uri>;
  /** The text when the profile is not signed in, or the path names nothing. */
  unavailable(path: string): string;
}

/**
 * The content provider. `load` fetches a document's text (a command awaits it, so failures reach the user
 * once, with the command's error handling); VS Code then reads what was loaded. A document opened with
 * nothing loaded (a restored editor) is fetched on demand.
 */
export class DetailsContentProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  readonly onDidChange: vscode.Event<vscode.Uri> | undefined;

  constructor(private readonly deps: DetailsDeps) {
    this.onDidChange = deps.onDidChange;
  }

  async load(path: string, signal?: AbortSignal): Promise<string> {
    const parsed = parseDetailsPath(path);
    const client = parsed && this.deps.clientFor(parsed.profile);
    if (!parsed || !client) return this.deps.unavailable(path);
    const text = detailsText(await fetchDetails(client, parsed.target, signal), this.deps.redactor);
    this.texts.set(path, text);
    return text;
  }

  async provideTextDocumentContent(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<string> {
    const cached = this.texts.get(uri.path);
    if (cached !== undefined) return cached;
    const controller = new AbortController();
    const listener = token?.onCancellationRequested(() => controller.abort());
    try {
      return await this.load(uri.path, controller.signal);
    } catch (error) {
      return this.deps.redactor.redact(`// ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      listener?.dispose();
    }
  }

  /** Forgets all texts (sign-out, profile switch). */
  clear(): void {
    this.texts.clear();
  }
}
