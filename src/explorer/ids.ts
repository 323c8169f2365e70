// Tree ids and contextValues. Ids are stable paths that include the profile, so a refresh keeps selection
// and expansion and two profiles never collide; every segment is percent-encoded, so no name can forge one.

export type GroupKind = 'trainingJobs' | 'notebooks' | 'workflows' | 'apps';

const seg = (value: string): string => encodeURIComponent(value);

export const nodeIds = {
  /** Parent of the workspace rows (never shown itself). */
  root: (profile: string): string => seg(profile),
  workspace: (profile: string, wsId: string): string => `${seg(profile)}/ws/${seg(wsId)}`,
  group: (profile: string, wsId: string, group: GroupKind): string => `${nodeIds.workspace(profile, wsId)}/${group}`,
  trainingJob: (profile: string, wsId: string, jobId: string): string => `${nodeIds.workspace(profile, wsId)}/job/${seg(jobId)}`,
  task: (profile: string, wsId: string, jobId: string, task: string): string => `${nodeIds.trainingJob(profile, wsId, jobId)}/task/${seg(task)}`,
  notebook: (profile: string, wsId: string, notebookId: string): string => `${nodeIds.workspace(profile, wsId)}/notebook/${seg(notebookId)}`,
  workflow: (profile: string, wsId: string, workflowId: string): string => `${nodeIds.workspace(profile, wsId)}/workflow/${seg(workflowId)}`,
  execution: (profile: string, wsId: string, workflowId: string, executionId: string): string =>
    `${nodeIds.workflow(profile, wsId, workflowId)}/execution/${seg(executionId)}`,
  step: (profile: string, wsId: string, workflowId: string, executionId: string, stepId: string): string =>
    `${nodeIds.execution(profile, wsId, workflowId, executionId)}/step/${seg(stepId)}`,
  app: (profile: string, wsId: string, appId: string): string => `${nodeIds.workspace(profile, wsId)}/app/${seg(appId)}`,
  loadMore: (parentId: string): string => `${parentId}/loadMore`,
  /** Empty, error and sign-in rows: `#` never appears in an encoded segment, so no resource id can match. */
  message: (parentId: string, kind: string): string => `${parentId}/#${kind}`,
};

/**
 * The id of a list item under `parentPath` (e.g. `…/ws/0/job`); an item without an id (the parser marked it)
 * gets a positional one, so it still shows and never collides.
 */
export function itemId(parentPath: string, key: string, index: number): string {
  return key === '' ? `${parentPath}/#item${index}` : `${parentPath}/${seg(key)}`;
}

/**
 * Keeps the first item of each key, so a list that shifted between pages (offset paging while jobs are
 * created) never shows one resource twice. Items without a key are all kept.
 */
export function dedupeByKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (key !== '') {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(item);
  }
  return out;
}

/** `;resource;notebook;running;refreshable;`: matched with `viewItem =~ /;running;/` in `when` clauses. */
export function contextValue(...tags: Array<string | undefined | false>): string {
  const kept = tags.filter((t): t is string => typeof t === 'string' && t !== '');
  return `;${kept.join(';')};`;
}
