import './helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { markdown } from '../../src/common/safeText';
import { knownStates, stateWord, type StateKind } from '../../src/common/stateWords';
import { englishL10n } from '../../src/common/translate';
import { LoadMoreNode } from '../../src/explorer/nodes/loadMoreNode';
import type { ExplorerNode, NodeView } from '../../src/explorer/nodes/node';
import { stateTag } from '../../src/explorer/status';
import { renderTreeItem } from '../../src/explorer/treeProvider';
import { expandAll, withRig } from './helpers/explorerRig';
import { MarkdownString, type TreeItem, type ThemeIcon } from './helpers/vscodeStandIn';

// Every row of the explorer, rendered into the TreeItem VS Code gets, has a label, a tooltip and an
// accessibility label that says the row's status in the words a user reads (`Running`, not `RUNNING`); no
// state is shown by an icon's colour alone.
// The rows come from the demo emulator: every kind, plus Load more (idle and loading), empty, error,
// sign-in and malformed rows. Every command has a title, and every inline button an icon and a title.

const ROOT = join(__dirname, '..', '..', '..');

const text = (value: string | MarkdownString | undefined): string => (value instanceof MarkdownString ? value.value : (value ?? ''));

/** `Running · 1h left` → `running_1h_left`, to find a state the vocabulary does not know (`weird`) in words. */
const words = (value: string): string => value.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/**
 * The word a row of `kind` shows for the state in its contextValue (`start_failed` → `Start failed`); undefined
 * for a state the vocabulary does not know (the row shows the service's value as it is).
 */
function stateWordOfTag(kind: string, tag: string): string | undefined {
  const stateKind = (kind === 'task' ? 'trainingJob' : kind) as StateKind;
  const raw = ['workspace', 'trainingJob', 'notebook', 'workflow', 'execution', 'step'].includes(stateKind) ? knownStates(stateKind, englishL10n).find((s) => stateTag(s) === tag) : undefined;
  return raw === undefined ? undefined : stateWord(stateKind, raw, englishL10n);
}

/** What is wrong with one rendered row; empty when nothing is. */
function accessibilityProblems(item: TreeItem, where: string): string[] {
  const problems: string[] = [];
  const say = (what: string): void => {
    problems.push(`${where} (${item.label}): ${what}`);
  };
  const label = typeof item.label === 'string' ? item.label.trim() : '';
  const description = item.description?.trim() ?? '';
  const spoken = item.accessibilityInformation?.label ?? '';
  const icon = item.iconPath;
  if (!label) say('no label');
  if (!text(item.tooltip).trim()) say('no tooltip');
  if (!spoken.trim()) say('no accessibility label');
  else if (!spoken.startsWith(label)) say(`the accessibility label "${spoken}" does not start with the label`);
  if (icon?.color !== undefined) {
    if (!description) say(`a coloured icon (${icon.id}, ${icon.color.id}) with no status text beside it`);
    else if (!spoken.includes(description)) say(`the accessibility label "${spoken}" leaves out the status "${description}"`);
  }
  if (icon?.id.endsWith('~spin') && !description) say('a spinning icon with no text saying what is going on');
  const [, kind, state] = /^;resource;([A-Za-z]+);([a-z0-9_]+);/.exec(item.contextValue ?? '') ?? [];
  if (kind !== undefined && state !== undefined && state !== 'refreshable' && state !== 'malformed') {
    const word = stateWordOfTag(kind, state);
    if (word === undefined ? !words(spoken).includes(state) : !spoken.includes(word)) say(`the accessibility label "${spoken}" does not say the state ${word ?? state}`);
  }
  if (item.contextValue?.includes(';malformed;') && !/problem/i.test(spoken)) say(`the accessibility label "${spoken}" does not say the item has problems`);
  if (item.command && !item.command.title.trim()) say('a click command without a title');
  return problems;
}

const render = (node: ExplorerNode): TreeItem => renderTreeItem(node.view()) as unknown as TreeItem;
const problemsOf = (nodes: readonly ExplorerNode[]): string[] => nodes.flatMap((node) => accessibilityProblems(render(node), node.id));
const contextValues = (nodes: readonly ExplorerNode[]): string[] => nodes.map((n) => n.view().contextValue);

describe('accessibility: explorer rows', () => {
  it('the check finds each kind of problem (positive control)', () => {
    const ok: NodeView = { id: 'x', label: 'job', description: 'Running · 2m', tooltip: markdown`**job**`, icon: { id: 'sync~spin', color: 'charts.blue' }, contextValue: ';resource;trainingJob;running;', collapsible: 'none' };
    const found = (view: NodeView): string[] => accessibilityProblems(renderTreeItem(view) as unknown as TreeItem, 'planted');
    assert.deepEqual(found(ok), []);
    assert.match(found({ ...ok, label: '' }).join(), /no label/);
    assert.match(found({ ...ok, tooltip: undefined }).join(), /no tooltip/);
    assert.match(found({ ...ok, description: undefined }).join(), /coloured icon .* no status text/);
    assert.match(found({ ...ok, icon: { id: 'sync~spin' }, description: undefined }).join(), /spinning icon/);
    assert.match(found({ ...ok, accessibilityLabel: 'job' }).join(), /leaves out the status/);
    assert.match(found({ ...ok, accessibilityLabel: 'something else' }).join(), /does not start with the label/);
    assert.match(found({ ...ok, description: 'Pending', accessibilityLabel: 'job, Pending' }).join(), /does not say the state Running/);
    assert.match(found({ ...ok, description: 'RUNNING', accessibilityLabel: 'job, RUNNING' }).join(), /does not say the state Running/, 'the raw value is not the word');
    const waiting: NodeView = { ...ok, description: 'Waiting for inputs', contextValue: ';resource;step;wait_inputs;' };
    assert.deepEqual(found(waiting), []);
    assert.match(found({ ...waiting, description: 'wait_inputs' }).join(), /does not say the state Waiting for inputs/);
    assert.deepEqual(found({ ...ok, description: 'WEIRD', contextValue: ';resource;notebook;weird;' }), [], 'an unknown state is said as the service sent it');
    assert.match(found({ ...ok, contextValue: ';resource;trainingJob;running;malformed;' }).join(), /does not say the item has problems/);
    assert.match(found({ ...ok, command: { command: 'x', title: '' } }).join(), /without a title/);
  });

  it('every row of the demo tree, every kind and Load more, is labelled, has a tooltip and says its status', () =>
    withRig(
      async (rig) => {
        const rows = await expandAll(rig, undefined, 6);
        const kinds = new Set(contextValues(rows).map((cv) => cv.split(';').slice(1, 3).join(';')));
        // Positive control: the walk reaches every kind of row.
        for (const kind of ['resource;workspace', 'group;trainingJobs', 'group;notebooks', 'group;workflows', 'group;apps', 'resource;trainingJob', 'resource;task', 'resource;notebook', 'resource;workflow', 'resource;execution', 'resource;step', 'resource;app', 'loadMore;', 'message;empty']) {
          assert.ok(kinds.has(kind), `the walk reaches a ${kind} row: ${[...kinds].join(' ')}`);
        }
        assert.ok(rows.some((r) => r.view().icon?.color !== undefined), 'rows with coloured icons are checked');
        assert.deepEqual(problemsOf(rows), []);
      },
      { emulator: { jobs: 15 } },
    ));

  it('a Load more row while its page loads says so', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        const group = await rig.row(ws, 'Training Jobs');
        const more = (await rig.model.children(group)).find((r): r is LoadMoreNode => r instanceof LoadMoreNode);
        assert.ok(more, 'the list has a Load more row');
        rig.emu.faults.add({ path: 'training-job-searches$', times: 1, latencyMs: 100 });
        const loading = rig.model.loadMore(more);
        const item = render(more);
        assert.equal((item.iconPath as ThemeIcon).id, 'loading~spin');
        assert.equal(item.description, 'Loading…');
        assert.deepEqual(accessibilityProblems(item, more.id), []);
        await loading;
        assert.equal(render(more).description, '20 of 24', 'the next page arrived');
      },
      { emulator: { jobs: 15 } },
    ));

  it('error, sign-in, empty-after-filter and malformed rows are labelled and say what is wrong', () =>
    withRig(async (rig) => {
      rig.emu.faults.add({ path: 'training-job-searches$', status: 403, body: { error_code: 'ModelArts.0108', error_msg: 'not authorized' } });
      rig.emu.faults.add({ path: '/workflows$', status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } });
      const bad = { id: 'nb-bad', name: 'bad', status: 'WEIRD' };
      const noStatus = { id: 'nb-none', name: 'no-status' };
      rig.emu.faults.add({ path: '/notebooks$', status: 200, body: { current: 0, pages: 1, size: 2, total: 2, data: [bad, noStatus] } });
      rig.emu.faults.add({ path: 'app-auth/apps$', status: 200, body: { apps: [], total: 0 } });
      const ws = await rig.row(undefined, 'default');
      const rows = [ws, ...(await expandAll(rig, ws, 6))];
      const values = contextValues(rows);
      for (const kind of [';message;error;', ';message;signIn;', ';message;empty;', ';malformed;']) assert.ok(values.some((cv) => cv.includes(kind)), `a ${kind} row: ${values.join(' ')}`);
      assert.deepEqual(problemsOf(rows), []);
      rig.emu.faults.clear();
      rig.setFilter({ name: 'no-such-name', statuses: [] });
      const filtered = await expandAll(rig, ws, 6);
      assert.ok(filtered.some((r) => /match the filter/.test(r.view().label)), 'an empty row after the filter');
      assert.deepEqual(problemsOf(filtered), []);
    }));
});

describe('accessibility: commands and buttons', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const commands = new Map<string, { title: string; icon?: string }>(pkg.contributes.commands.map((c: { command: string; title: string; icon?: string }) => [c.command, c]));
  const title = (id: string): string => (commands.get(id)?.title ?? '').replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? '');

  it('every command has a title', () => {
    assert.ok(commands.size > 20);
    for (const id of commands.keys()) assert.ok(title(id).trim(), `${id} has a title`);
  });

  it('every inline row button and view toolbar button has an icon and a title (its tooltip)', () => {
    const buttons = [
      ...pkg.contributes.menus['view/item/context'].filter((e: { group?: string }) => e.group?.startsWith('inline')),
      ...pkg.contributes.menus['view/title'].filter((e: { group?: string }) => e.group?.startsWith('navigation')),
      ...(pkg.contributes.menus['editor/title'] ?? []).filter((e: { group?: string }) => e.group?.startsWith('navigation')),
    ] as Array<{ command: string }>;
    assert.ok(buttons.length > 5, `${buttons.length} buttons`);
    for (const { command } of buttons) {
      assert.match(commands.get(command)?.icon ?? '', /^\$\([a-z-]+\)$/, `${command} has an icon`);
      assert.ok(title(command).trim(), `${command} has a title`);
    }
  });
});
