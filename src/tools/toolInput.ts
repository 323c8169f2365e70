// A tool's input checked before anything is sent: against its schema (VS Code passes whatever the model or
// another extension wrote, and does not check it outside chat) and for meaning (a workflow id where an
// execution needs one, a pattern that compiles). Each refusal names the parameter. No vscode here.

import type * as vscode from 'vscode';
import type { ToolProperty, ToolSpec } from './toolSpecs';

type L10n = typeof vscode.l10n;

export type ToolInput = Readonly<Record<string, string | number | boolean>>;

/** An input the tool will not act on; its message says which parameter and why. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value !== null ? (Array.isArray(value) ? 'a list' : 'an object') : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

function checkProperty(name: string, property: ToolProperty, value: unknown, l10n: L10n): void {
  const fail = (rule: string): never => {
    throw new ToolInputError(l10n.t('"{0}" must be {1} (got {2}).', name, rule, shown(value)));
  };
  switch (property.type) {
    case 'string': {
      if (typeof value !== 'string') fail(l10n.t('text'));
      const text = value as string;
      if (property.enum && !property.enum.includes(text)) fail(l10n.t('one of {0}', property.enum.join(', ')));
      if (text.trim() === '') fail(l10n.t('not empty'));
      if (property.maxLength !== undefined && text.length > property.maxLength) fail(l10n.t('at most {0} characters', property.maxLength));
      // Ids and names travel in URLs and messages: no control characters in them.
      if (/\p{Cc}/u.test(text)) fail(l10n.t('text without control characters'));
      return;
    }
    case 'integer':
    case 'number': {
      const whole = property.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value)))
        fail(whole ? l10n.t('a whole number from {0} to {1}', property.minimum ?? '-∞', property.maximum ?? '∞') : l10n.t('a number from {0} to {1}', property.minimum ?? '-∞', property.maximum ?? '∞'));
      const n = value as number;
      if ((property.minimum !== undefined && n < property.minimum) || (property.maximum !== undefined && n > property.maximum))
        fail(whole ? l10n.t('a whole number from {0} to {1}', property.minimum ?? '-∞', property.maximum ?? '∞') : l10n.t('a number from {0} to {1}', property.minimum ?? '-∞', property.maximum ?? '∞'));
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(l10n.t('true or false'));
      return;
  }
}

/** The input as the schema allows it, or a ToolInputError naming the first thing wrong. */
export function checkToolInput(spec: ToolSpec, input: unknown, l10n: L10n): ToolInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ToolInputError(l10n.t('The input of {0} must be an object with its parameters.', spec.name));
  const record = input as Record<string, unknown>;
  const { properties, required = [] } = spec.inputSchema;
  for (const name of Object.keys(record)) {
    if (!(name in properties)) throw new ToolInputError(l10n.t('{0} has no parameter "{1}"; it takes {2}.', spec.name, name, Object.keys(properties).join(', ')));
  }
  for (const name of required) {
    if (record[name] === undefined || record[name] === null) throw new ToolInputError(l10n.t('"{0}" is missing: {1}', name, properties[name]?.description ?? ''));
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || value === null) continue;
    const property = properties[name];
    if (!property) continue;
    checkProperty(name, property, value, l10n);
    out[name] = value as string | number | boolean;
  }
  checkMeaning(spec.name, out, l10n);
  return out;
}

/** What the schema cannot say: parameters that only make sense together, and patterns that compile. */
function checkMeaning(tool: string, input: Record<string, string | number | boolean>, l10n: L10n): void {
  const kind = input.kind;
  const needsWorkflow = (tool === 'modelarts_list' && kind === 'executions') || ((tool === 'modelarts_describe' || tool === 'modelarts_events') && kind === 'execution');
  if (needsWorkflow && input.workflowId === undefined) throw new ToolInputError(l10n.t('"workflowId" is missing: an execution belongs to a workflow.'));
  if (tool === 'modelarts_list' && kind !== 'trainingJobs' && (input.state !== undefined || input.name !== undefined))
    throw new ToolInputError(l10n.t('"state" and "name" filter training jobs only, not {0}.', String(kind)));
  if (tool === 'modelarts_list' && kind === 'workflows' && input.workspaceId !== undefined)
    throw new ToolInputError(l10n.t('"workspaceId" does not apply to workflows: the service lists the workflows of every workspace, and each row names its workspace.'));
  if (typeof input.pattern === 'string') patternOf(input.pattern, l10n);
}

/** The log filter as a regular expression; one that does not compile is refused with the reason. */
export function patternOf(source: string, l10n: L10n): RegExp {
  // A repetition of a repetition, `(a+)+`, can take exponential time on one line: the extension host would hang.
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/.test(source)) throw new ToolInputError(l10n.t('"pattern" repeats a group that repeats (like (a+)+): such a pattern can take too long on a log line.'));
  try {
    return new RegExp(source);
  } catch (error) {
    throw new ToolInputError(l10n.t('"pattern" is no regular expression: {0}', error instanceof Error ? error.message : String(error)));
  }
}
