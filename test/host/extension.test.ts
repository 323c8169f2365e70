import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/explorer/nodes/node';

// Inside a real extension host (code-server here, desktop VS Code under @vscode/test-electron): activation,
// the demo sign-in, the tree through the extension's own TreeDataProvider, Show Details, request counts
// against the demo emulator, and Stop the Demo. The profile sets modelarts.pageSize 10 and
// modelarts.refresh.intervalSeconds 2; the environment adds 25 jobs (MODELARTS_EXPLORER_DEMO_JOBS) so
// workspace "default" has more than one page.

const EXTENSION_ID = 'modelarts-explorer.modelarts-explorer';
const SEED_NOTEBOOK_ID = 'f9937afa-4451-42db-a76b-72d624749f66';
const SEED_NOTEBOOK_TOKEN = '5cc60e8b-8772-7690-efd6-a5874ca387c0';
const LOAD_MORE = 'Load more…';

interface Row {
  node: ExplorerNode;
  label: string;
  description: string;
  item: vscode.TreeItem;
}

function labelText(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

function descriptionText(item: vscode.TreeItem): string {
  return typeof item.description === 'string' ? item.description : '';
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Host-side figures, printed with a prefix the e2e runner keeps in its report. */
function figure(name: string, value: string | number): void {
  console.log(`[figures] ${name}: ${value}`);
}

describe('ModelArts Explorer in the extension host', function () {
  this.timeout(60_000);
  let api: ExtensionApi;

  const provider = (): vscode.TreeDataProvider<ExplorerNode> => api.explorer.provider;

  async function children(parent?: ExplorerNode): Promise<Row[]> {
    const nodes = (await provider().getChildren(parent)) ?? [];
    return Promise.all(
      nodes.map(async (node) => {
        const item = await provider().getTreeItem(node);
        return { node, item, label: labelText(item), description: descriptionText(item) };
      }),
    );
  }

  async function child(parent: ExplorerNode | undefined, label: string): Promise<Row> {
    const rows = await children(parent);
    const row = rows.find((r) => r.label === label);
    assert.ok(row, `no row "${label}" among ${JSON.stringify(rows.map((r) => r.label))}`);
    return row;
  }

  /** Requests the demo emulator has answered so far (ModelArts and IAM, not its admin route). */
  function requestCount(): number {
    const emulator = api.sessions.demoEmulator;
    assert.ok(emulator, 'the demo emulator is not running');
    return emulator.requests.filter((r) => r.service !== 'admin').length;
  }

  /** The requests after the first `start`, as `METHOD route ×count`. */
  function requestsSince(start: number): string[] {
    const counts = new Map<string, number>();
    for (const r of api.sessions.demoEmulator!.requests.slice(start)) {
      if (r.service === 'admin') continue;
      const key = `${r.method} ${r.route ?? r.path}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, n]) => (n > 1 ? `${key} ×${n}` : key));
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
    api = await extension.activate();
  });

  after(async () => {
    // Leaves no emulator behind when a test failed half-way.
    if (api?.sessions.demoEmulator) await api.sessions.stopDemo();
  });

  it('activates and exports its sessions and explorer', () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.sessions.startDemo, 'function');
    assert.equal(typeof api.explorer.provider.getChildren, 'function');
    assert.ok(api.explorer.view, 'the explorer exposes its TreeView');
    assert.equal(vscode.workspace.getConfiguration('modelarts').get('pageSize'), 10, 'the test profile sets modelarts.pageSize to 10');
  });

  it('declares that it runs on the user\'s side first, and runs wherever the workbench has an extension host for it', () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    assert.deepEqual((extension.packageJSON as { extensionKind?: unknown }).extensionKind, ['ui', 'workspace']);
    // In code-server the only Node extension host is the server's, which the workbench reports as the
    // workspace side; in a desktop window it would be the UI side.
    const expected = vscode.env.remoteName ? vscode.ExtensionKind.Workspace : vscode.ExtensionKind.UI;
    assert.equal(extension.extensionKind, expected, `remoteName ${vscode.env.remoteName ?? '(none)'}`);
  });

  it('"Try the Demo" signs in to the demo emulator', async () => {
    const started = Date.now();
    await vscode.commands.executeCommand('modelarts.demo.start');
    const session = await waitFor('the demo session', () => api.sessions.current?.demo && api.sessions.current);
    figure('demo start (command to session)', `${Date.now() - started} ms`);
    assert.equal(session.demo, true);
    const emulator = api.sessions.demoEmulator;
    assert.ok(emulator, 'the demo emulator runs in the extension host');
    assert.match(emulator.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    figure('requests to sign in to the demo', requestCount());
  });

  it('lists the demo workspaces as roots', async () => {
    const before = requestCount();
    const labels = (await children()).map((r) => r.label);
    figure('requests for the roots', requestCount() - before);
    for (const name of ['default', 'vision-team', 'nlp-research']) assert.ok(labels.includes(name), `no workspace "${name}" in ${JSON.stringify(labels)}`);
  });

  it('expands workspace "default" into Training Jobs, Notebooks, Workflows and Apps', async () => {
    const workspace = await child(undefined, 'default');
    assert.notEqual(workspace.item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    const before = requestCount();
    const groups = await children(workspace.node);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Training Jobs', 'Notebooks', 'Workflows', 'Apps'],
    );
    // What a user's click on the workspace costs, and then on each group.
    figure('requests to expand workspace "default"', `${requestCount() - before} (${requestsSince(before).join(', ') || 'none'})`);
    for (const group of groups) {
      const start = requestCount();
      await children(group.node);
      figure(`requests to expand "${group.label}"`, `${requestCount() - start} (${requestsSince(start).join(', ') || 'none'})`);
    }
  });

  it('lists training jobs with their status, one page, then "Load more…" appends the next page', async () => {
    const workspace = await child(undefined, 'default');
    const group = await child(workspace.node, 'Training Jobs');
    const rows = await children(group.node);
    const jobs = rows.filter((r) => r.label !== LOAD_MORE);
    assert.equal(jobs.length, 10, `one page of 10 jobs, got ${JSON.stringify(rows.map((r) => r.label))}`);
    for (const job of jobs) assert.notEqual(job.description.trim(), '', `job "${job.label}" shows no status`);
    const more = rows.at(-1);
    assert.equal(more?.label, LOAD_MORE, 'the list ends in a "Load more…" row');

    const command = more.item.command;
    assert.ok(command, '"Load more…" has a command');
    const before = requestCount();
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    // The tree is asked again, as the view does on its change event, until the list grows.
    const deadline = Date.now() + 30_000;
    let grown = rows;
    while (Date.now() < deadline) {
      grown = await children(group.node);
      if (grown.filter((r) => r.label !== LOAD_MORE).length > jobs.length) break;
      await sleep(100);
    }
    const jobsAfter = grown.filter((r) => r.label !== LOAD_MORE);
    figure('requests for one "Load more…"', `${requestCount() - before} (${requestsSince(before).join(', ') || 'none'})`);
    assert.equal(jobsAfter.length, 20, `two pages of 10 jobs after "Load more…", got ${jobsAfter.length}`);
    assert.deepEqual(
      jobsAfter.slice(0, 10).map((r) => r.label),
      jobs.map((r) => r.label),
      'the first page stays in place',
    );
    assert.equal(new Set(jobsAfter.map((r) => r.label)).size, jobsAfter.length, 'no job listed twice');
  });

  it('lists the seed notebook with its status', async () => {
    const workspace = await child(undefined, 'default');
    const group = await child(workspace.node, 'Notebooks');
    const notebook = await child(group.node, 'notebooks_test');
    assert.notEqual(notebook.description.trim(), '', 'the notebook row shows its status');
  });

  it('"Show Details" opens a modelarts: document without the notebook token', async () => {
    const workspace = await child(undefined, 'default');
    const group = await child(workspace.node, 'Notebooks');
    const notebook = await child(group.node, 'notebooks_test');
    await vscode.commands.executeCommand('modelarts.resource.showDetails', notebook.node);
    const document = await waitFor('the details document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'modelarts' && d.uri.path.includes(SEED_NOTEBOOK_ID)),
    );
    const text = document.getText();
    assert.ok(text.includes('notebooks_test'), 'the document describes the notebook');
    assert.ok(!text.includes(SEED_NOTEBOOK_TOKEN), 'the notebook token must not appear in the details document');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString(), 'the document is shown');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('polls only while something transitional is in view (request counts)', async () => {
    const interval = vscode.workspace.getConfiguration('modelarts').get<number>('refresh.intervalSeconds') ?? 5;
    const windowMs = interval * 1000 * 3;
    const workspace = await child(undefined, 'default');
    const jobsGroup = await child(workspace.node, 'Training Jobs');
    const running = (await children(jobsGroup.node)).find((r) => /running/i.test(r.description));

    // Positive control first: the view shown with a running job in it polls. (The waits below are the
    // measurement windows themselves: "no request during N s" can only be seen by waiting N s.)
    assert.ok(running, 'a running job on the first page of workspace "default"');
    await vscode.commands.executeCommand('workbench.view.extension.modelarts');
    await api.explorer.view.reveal(running.node, { expand: false, focus: false, select: false });
    await waitFor('the view to be visible', () => api.explorer.view.visible);
    const visibleStart = requestCount();
    await sleep(windowMs);
    const visibleCount = requestCount() - visibleStart;
    figure(`requests in ${windowMs / 1000} s with the view visible and "${running.label}" (${running.description}) in it`, `${visibleCount} (${requestsSince(visibleStart).join(', ')})`);
    assert.ok(visibleCount > 0, 'a running job in view is polled');

    // Reported, not asserted: the view visible with every row collapsed (nothing transitional on screen).
    await vscode.commands.executeCommand('workbench.actions.treeView.modelarts.explorer.collapseAll');
    await api.explorer.model?.idle();
    const collapsedStart = requestCount();
    await sleep(windowMs);
    figure(
      `requests in ${windowMs / 1000} s with the view visible, all rows collapsed`,
      `${requestCount() - collapsedStart} (${requestsSince(collapsedStart).join(', ') || 'none'})`,
    );

    // The view hidden (the file explorer shown instead), nothing watched: no request at all.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the view to be hidden', () => !api.explorer.view.visible);
    // A polling round already under way may finish.
    await api.explorer.model?.idle();
    const start = requestCount();
    await sleep(windowMs);
    const hiddenCount = requestCount() - start;
    figure(`requests in ${windowMs / 1000} s with the view hidden`, `${hiddenCount} (${requestsSince(start).join(', ') || 'none'})`);
    assert.equal(hiddenCount, 0, 'no request while the view is hidden and nothing is watched');
  });

  it('"Stop the Demo" signs out and stops the emulator', async () => {
    const emulator = api.sessions.demoEmulator;
    assert.ok(emulator);
    await vscode.commands.executeCommand('modelarts.demo.stop');
    await waitFor('the session to end', () => api.sessions.current === undefined);
    assert.equal(api.sessions.demoEmulator, undefined);
    const roots = await children();
    assert.ok(!roots.some((r) => r.label === 'default'), 'the tree no longer shows the demo workspaces');
  });
});
