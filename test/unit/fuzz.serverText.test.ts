import { MarkdownString, type TreeItem } from './helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readAllEvents, formatEvent } from '../../src/watch/eventsFollower';
import { EventCursor, streamExecutionEvents } from '../../src/watch/executionEvents';
import { failureMessage } from '../../src/commands/registry';
import { englishL10n } from '../../src/common/translate';
import { detailsPath, detailsText, fetchDetails } from '../../src/explorer/details';
import { isResourceNode, type ExplorerNode } from '../../src/explorer/nodes/node';
import { WorkspaceNode } from '../../src/explorer/nodes/workspaceNode';
import { renderTreeItem } from '../../src/explorer/treeProvider';
import { expandAll, withRig, type ExplorerRig } from './helpers/explorerRig';
import { ALL, HOSTILE_VALUES, MEGABYTE, assertInert, hostileInterceptor, type HostileServerOptions } from './helpers/hostile';

// The fuzz pass (Q24, "Also"): every string field of every resource kind the explorer shows, rewritten on its way
// in from the emulator (appended to, replaced by each hostile value in turn, or grown past a megabyte), then every
// row, tooltip and details document of a whole expanded tree, and the event lines of a training job and of a
// workflow execution: nothing crashes, no link or icon is injected, no hidden character lets a row or a line
// pretend to be another, and each event stays one line.

const SHORT_VALUES = HOSTILE_VALUES.filter(([name]) => name !== '1 MB').map(([, value]) => value);

interface Pass {
  name: string;
  value: NonNullable<HostileServerOptions['value']>;
  /** Ids too: the lists below a row then find nothing (their parent's id is not one), so the tree is shallow. */
  ids: boolean;
  minRows: number;
}

const isId = (key: string): boolean => key === 'id' || key === 'uuid' || key.endsWith('_id');

const PASSES: Pass[] = [
  { name: 'appended', value: (old) => `${old} ${ALL}`, ids: false, minRows: 40 },
  { name: 'every field replaced, ids too', value: (_old, _key, index) => SHORT_VALUES[index % SHORT_VALUES.length], ids: true, minRows: 5 },
  // A megabyte in one string field of 40 (a page of jobs is ~20 items of ~30 strings): under the 16 MB cap.
  { name: '1 MB in one field of 40', value: (old, _key, index) => (index % 40 === 7 ? `${old} ${MEGABYTE}` : `${old} ${ALL}`), ids: false, minRows: 40 },
];

interface Tally {
  rows: number;
  tooltips: number;
  documents: number;
  eventLines: number;
  fields: number;
  longestLabel: number;
  longestTooltip: number;
  /** Show Details that failed (their toast checked instead). */
  failures: number;
}

function checkRow(node: ExplorerNode, tally: Tally, where: string): void {
  const item = node.getTreeItem() as unknown as TreeItem;
  assertInert(item.label, 'label', `${where}: a row's label`, { maxLength: 1000 });
  assertInert(item.description, 'label', `${where}: a row's description`, { maxLength: 1000 });
  assertInert(item.accessibilityInformation?.label, 'label', `${where}: a row's screen-reader label`, { maxLength: 2000 });
  tally.rows++;
  tally.longestLabel = Math.max(tally.longestLabel, item.label.length);
  if (item.tooltip instanceof MarkdownString) {
    assert.equal(item.tooltip.isTrusted, false, 'tooltips run no command');
    assert.equal(item.tooltip.supportHtml, false, 'tooltips render no HTML');
    assertInert(item.tooltip.value, 'markdown', `${where}: the tooltip of ${item.label.slice(0, 60)}`, { ownIcons: ['warning'], maxLength: 50_000 });
    tally.tooltips++;
    tally.longestTooltip = Math.max(tally.longestTooltip, item.tooltip.value.length);
  }
}

async function checkTree(rig: ExplorerRig, tally: Tally, where: string, minRows: number): Promise<void> {
  const nodes = await expandAll(rig, undefined, 6);
  assert.ok(nodes.length >= minRows, `${where}: ${nodes.length} rows`);
  for (const node of nodes) {
    if (node instanceof WorkspaceNode) await node.loadQuotas();
    checkRow(node, tally, where);
    if (!isResourceNode(node)) continue;
    const path = detailsPath('default', node.resource.details, node.resource.name);
    assertInert(path.split('/').pop(), 'label', `${where}: the details tab of ${node.resource.id.slice(0, 40)}`, { maxLength: 1000 });
    let text: string;
    try {
      text = detailsText(await fetchDetails(rig.client, node.resource.details), rig.redactor);
    } catch (error) {
      // An id the service does not know (every field replaced): Show Details fails with the service's error.
      assertInert(failureMessage('Show Details', error).for('message'), 'message', `${where}: Show Details failing for ${node.resource.id.slice(0, 40)}`);
      tally.failures++;
      continue;
    }
    JSON.parse(text);
    assertInert(text, 'line', `${where}: the details document of ${node.resource.id.slice(0, 40)}`, { maxLength: Number.POSITIVE_INFINITY, multiline: true });
    tally.documents++;
  }
}

describe('[Q24] fuzz: hostile text in every string field the explorer shows', () => {
  for (const pass of PASSES) {
    it(`[Q24] ${pass.name}: every row, tooltip and details document of the whole tree is inert, nothing crashes`, async () => {
      const tally: Tally = { rows: 0, tooltips: 0, documents: 0, eventLines: 0, fields: 0, longestLabel: 0, longestTooltip: 0, failures: 0 };
      let hostile: ReturnType<typeof hostileInterceptor> | undefined;
      const started = Date.now();
      await withRig(
        async (rig) => {
          await checkTree(rig, tally, pass.name, pass.minRows);
          tally.fields = hostile?.changed ?? 0;
        },
        {
          interceptor: (endpoint) => (hostile = hostileInterceptor(endpoint, { value: pass.value, keys: (key) => pass.ids || !isId(key) })),
          model: { render: (view) => renderTreeItem(view) },
        },
      );
      assert.ok(tally.fields > 100, `${tally.fields} fields rewritten`);
      console.log(
        `[figure Q24] fuzz pass "${pass.name}": ${tally.fields} string fields rewritten; ${tally.rows} rows, ${tally.tooltips} tooltips, ${tally.documents} details documents and ${tally.failures} Show Details failures ` +
          `checked: 0 links, icons or hidden characters; longest label ${tally.longestLabel} characters, longest tooltip ${tally.longestTooltip}; ${Date.now() - started} ms`,
      );
    });
  }

  it('[Q24] error rows: a list that fails with a hostile error_msg shows an inert row and tooltip', async () => {
    const tally: Tally = { rows: 0, tooltips: 0, documents: 0, eventLines: 0, fields: 0, longestLabel: 0, longestTooltip: 0, failures: 0 };
    await withRig(
      async (rig) => {
        rig.emu.faults.add({ service: 'modelarts', method: 'GET', path: '/notebooks$', status: 400, body: { error_code: `ModelArts.0107 ${ALL}`, error_msg: ALL, error_solution: MEGABYTE } });
        const nodes = await expandAll(rig, undefined, 3);
        const errors = nodes.filter((n) => n.view().contextValue.includes('message'));
        assert.ok(errors.some((n) => n.view().description?.includes('Renew key pair')), 'the error row says what the server said');
        for (const node of nodes) checkRow(node, tally, 'error rows');
      },
      { model: { render: (view) => renderTreeItem(view) } },
    );
  });

  it('[Q24] output channels: each hostile event of a training job and of a workflow execution is one inert line', async () => {
    let lines = 0;
    let events = 0;
    await withRig(
      async (rig) => {
        // A training job's events (Show Events): one line per event.
        const jobs = await rig.client.trainingJobs.search({ pageSize: 50 }).loadNext();
        for (const job of jobs.slice(0, 5)) {
          const all = await readAllEvents(rig.client.trainingJobs, job.metadata.id, new AbortController().signal);
          for (const event of all) {
            const line = formatEvent(event);
            assertInert(line, 'line', `an event line of ${job.metadata.id}`);
            events++;
            lines++;
          }
        }
        // A workflow execution's events (Stream Execution Events): each read appends lines, one per event.
        const workflows = await rig.client.workflows.list({ pageSize: 50 }).loadNext();
        for (const wf of workflows.slice(0, 4)) {
          const executions = await rig.client.workflows.executions(wf.workflow_id, { pageSize: 5 }).loadNext();
          for (const ex of executions.slice(0, 2)) {
            const controller = new AbortController();
            const appended: string[] = [];
            await streamExecutionEvents({
              api: rig.client.workflows,
              workflowId: wf.workflow_id,
              executionId: ex.execution_id,
              clock: rig.clock,
              cursor: new EventCursor(),
              baseIntervalMs: () => 5_000,
              l10n: englishL10n,
              append: (batch) => {
                appended.push(...batch);
                controller.abort();
              },
              signal: controller.signal,
            });
            const text = `${appended.join('\n')}\n`;
            assert.equal(text.split('\n').length - 1, appended.length, 'one line per appended entry');
            for (const line of appended) assertInert(line, 'line', `an event line of ${ex.execution_id}`);
            lines += appended.length;
            events += ex.events?.length ?? 0;
          }
        }
      },
      { interceptor: (endpoint) => hostileInterceptor(endpoint, { value: (old) => `${old} ${ALL}`, keys: (key) => !isId(key) }) },
    );
    assert.ok(events > 10 && lines >= events, `${events} events, ${lines} lines`);
    console.log(`[figure Q24] output channels: ${events} hostile events of training jobs and workflow executions written as ${lines} lines, one per event, 0 hidden characters`);
  });
});
