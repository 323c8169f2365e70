import '../helpers/fixedTimeZone';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { leaseEnd } from '../../../src/api/notebooks';
import type { Notebook, TrainingJob, Workspace } from '../../../src/api/types';
import { escapeMarkdown, markdownText } from '../../../src/common/safeText';
import { englishL10n } from '../../../src/common/translate';
import {
  formatDuration,
  markdownTooltip,
  notebookDescription,
  notebookTooltip,
  stepTooltip,
  trainingJobDescription,
  trainingJobFailure,
  trainingJobTooltip,
  workflowState,
  workflowTooltip,
  workspaceTooltip,
} from '../../../src/explorer/text';

const l10n = englishL10n;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function job(status: Partial<TrainingJob['status']>, metadata: Partial<TrainingJob['metadata']> = {}): TrainingJob {
  return { metadata: { id: 'j1', name: 'job-1', create_time: NOW - 30 * MIN, ...metadata }, status: { tasks: ['worker-0'], ...status } };
}

function notebook(fields: Partial<Notebook>): Notebook {
  return { id: 'nb1', name: 'nb-1', status: 'RUNNING', ...fields };
}

describe('explorer text: descriptions', () => {
  it('formats durations with at most two units', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(59_999), '59s');
    assert.equal(formatDuration(12 * MIN + 30_000), '12m');
    assert.equal(formatDuration(HOUR), '1h');
    assert.equal(formatDuration(3 * HOUR + 5 * MIN), '3h 5m');
    assert.equal(formatDuration(50 * HOUR), '2d 2h');
    assert.equal(formatDuration(-5), '0s');
  });

  it('a training job: phase · time running, total time when ended, age while waiting', () => {
    assert.equal(trainingJobDescription(job({ phase: 'Running', start_time: NOW - 12 * MIN }), NOW, l10n), 'Running · 12m');
    assert.equal(trainingJobDescription(job({ phase: 'Running', duration: 3 * HOUR }), NOW, l10n), 'Running · 3h');
    assert.equal(trainingJobDescription(job({ phase: 'Completed', duration: 45 * MIN, start_time: NOW - 10 * HOUR }), NOW, l10n), 'Completed · 45m');
    assert.equal(trainingJobDescription(job({ phase: 'Pending' }, { create_time: NOW - 2 * MIN }), NOW, l10n), 'Pending · 2m');
    assert.equal(trainingJobDescription(job({ phase: 'Failed', duration: 0 }), NOW, l10n), 'Failed');
    assert.equal(trainingJobDescription(job({}), NOW, l10n), 'Unknown', 'a missing phase still says something');
  });

  it('a notebook: its state and the lease countdown while running', () => {
    const lease = { create_at: NOW - 30 * MIN, duration: 90 * MIN, enable: true, type: 'TIMING' as const };
    assert.equal(notebookDescription(notebook({ lease }), NOW, l10n), 'Running · 1h left');
    assert.equal(leaseEnd(notebook({ lease })), NOW + HOUR);
    assert.equal(notebookDescription(notebook({ lease: { ...lease, duration: 30 * MIN + 20_000 } }), NOW, l10n), 'Running · under 1m left');
    assert.equal(notebookDescription(notebook({ lease: { ...lease, duration: -1 } }), NOW, l10n), 'Running · no auto-stop');
    assert.equal(notebookDescription(notebook({ lease: { ...lease, enable: false } }), NOW, l10n), 'Running · no auto-stop');
    assert.equal(notebookDescription(notebook({ status: 'STOPPED', lease }), NOW, l10n), 'Stopped');
    assert.equal(notebookDescription(notebook({ status: undefined }), NOW, l10n), 'Unknown');
  });

  it("a workflow's state: its own, else its latest execution's, else never executed", () => {
    assert.equal(workflowState({ workflow_id: 'w', name: 'w', status: 'running' }), 'running');
    assert.equal(workflowState({ workflow_id: 'w', name: 'w', latest_execution: { status: 'completed' } }), 'completed');
    assert.equal(workflowState({ workflow_id: 'w', name: 'w' }), 'never_executed');
  });
});

describe('explorer text: tooltips', () => {
  it('[Q12] escapes markup in every value, so a name renders as text', () => {
    const hostile = '<img src=x onerror=alert(1)> **bold** [link](command:modelarts.signOut) $(zap)';
    const escaped = escapeMarkdown(hostile);
    assert.ok(!/(^|[^\\])[<>[\]()*$]/.test(escaped), escaped);
    assert.equal(escaped.replace(/\\(.)/g, '$1'), hostile, 'unescaping gives the text back');
    assert.equal(escapeMarkdown('a\n\n# b'), 'a \\# b', 'line breaks cannot start a heading');
    const tip = markdownTooltip(hostile, [['Owner', hostile]], [`unknown status '${hostile}'`], l10n);
    assert.ok(!/(^|[^\\])[<[]/.test(tip), tip);
    assert.ok(!/\]\(/.test(tip), tip);
    // The title is made inert as every value is: markdown escaped, and the icon too.
    assert.ok(tip.startsWith(`**${markdownText(hostile)}**`), tip);
    assert.ok(markdownText(hostile).includes('\\\\\\$\\(zap\\)'), 'the icon is shown as text');
  });

  it('a training job: flavor, engine, node count, image, created, owner, id', () => {
    const tip = trainingJobTooltip(
      {
        ...job({ phase: 'Running', secondary_phase: 'Running', start_time: NOW - 12 * MIN }, { user_name: 'alice' }),
        spec: { resource: { flavor_id: 'modelarts.vm.gpu.t4', node_count: 2 } },
        algorithm: { engine: { engine_name: 'PyTorch', engine_version: '1.8', image_url: 'swr.example/pytorch:1.8' } },
      },
      NOW,
      l10n,
    );
    for (const text of ['Status: Running', 'Flavor: modelarts\\.vm\\.gpu\\.t4', 'Engine: PyTorch 1\\.8', 'Nodes: 2', 'Image: swr\\.example/pytorch\\:1\\.8', 'Created: 2026\\-01\\-01 17\\:00 \\(UTC\\+05\\:30\\)', 'Duration: 12m', 'Owner: alice', 'ID: j1']) {
      assert.ok(tip.includes(text), `${text} in ${tip}`);
    }
  });

  it('a notebook: flavor, image, lease end, reason, created, id', () => {
    const tip = notebookTooltip(
      notebook({
        flavor: 'modelarts.vm.cpu.2u',
        image: { name: 'pytorch', tag: '1.8' },
        lease: { create_at: NOW - 30 * MIN, duration: 90 * MIN, enable: true },
        create_at: NOW - 2 * HOUR,
      }),
      NOW,
      l10n,
    );
    for (const text of ['Flavor: modelarts\\.vm\\.cpu\\.2u', 'Image: pytorch\\:1\\.8', 'Lease end: 2026\\-01\\-01 18\\:30 \\(UTC\\+05\\:30\\), in 1h', 'Created: 2026\\-01\\-01 15\\:30 \\(UTC\\+05\\:30\\)', 'ID: nb1']) {
      assert.ok(tip.includes(text), `${text} in ${tip}`);
    }
    assert.ok(notebookTooltip(notebook({ status: 'START_FAILED', fail_reason: 'sold out' }), NOW, l10n).includes('Reason: sold out'));
  });

  it('a workspace: owner, auth type, id, created and quotas once loaded; problems listed', () => {
    const ws: Workspace = { id: '0', name: 'default', owner: 'bob', auth_type: 'PUBLIC', status: 'NORMAL', create_time: NOW, problems: ['missing status'] };
    const without = workspaceTooltip(ws, undefined, l10n);
    for (const text of ['Owner: bob', 'Auth type: PUBLIC', 'ID: 0', 'Created: 2026', 'Problems\\: missing status']) assert.ok(without.includes(text), `${text} in ${without}`);
    assert.ok(!without.includes('Quota'));
    const withQuotas = workspaceTooltip(ws, [{ resource: 'notebook', name_en: 'Notebooks', quota: 10, used_quota: 3 }, { resource: 'train', quota: -1 }], l10n);
    assert.ok(withQuotas.includes('Quota Notebooks: 3 used of 10'), withQuotas);
    assert.ok(withQuotas.includes('Quota train: unlimited'), withQuotas);
  });
});

describe('explorer text: states and reasons in tooltips', () => {
  it("the tooltip's status is the word, with the service's own value beside it where it differs", () => {
    assert.ok(notebookTooltip(notebook({}), NOW, l10n).includes('Status: Running \\(RUNNING\\)'));
    assert.ok(trainingJobTooltip(job({ phase: 'Running', secondary_phase: 'Running' }), NOW, l10n).includes('Status: Running  \n'), 'nothing to add');
    assert.ok(trainingJobTooltip(job({ phase: 'Abnormal', secondary_phase: 'CreateFailed' }), NOW, l10n).includes('Status: Abnormal \\(CreateFailed\\)'));
    const wf = workflowTooltip({ workflow_id: 'w', name: 'w', latest_execution: { status: 'completed' } }, l10n);
    assert.ok(wf.includes('Status: Completed \\(completed\\)'), wf);
    assert.ok(workflowTooltip({ workflow_id: 'w', name: 'w' }, l10n).includes('Status: Never run \\(never\\_executed\\)'));
    assert.ok(stepTooltip({ uuid: 's', step_name: 's', status: 'wait_inputs', events: [] }, l10n).includes('Status: Waiting for inputs \\(wait\\_inputs\\)'));
  });

  it("a failed job says why: the failing task's message, the task and its run's end reason", () => {
    const failed = job({
      phase: 'Failed',
      task_statuses: [
        { task: 'worker-0', exit_code: 1, message: 'RuntimeError: CUDA out of memory.' },
        { task: 'worker-1', exit_code: 0, message: '' },
      ],
      running_records: [{ start_at: 1, end_at: 2, end_reason: 'exit with 1', end_related_task: 'worker-0' }],
    });
    assert.equal(trainingJobFailure(failed), 'RuntimeError: CUDA out of memory. (worker-0: exit with 1)');
    assert.ok(trainingJobTooltip(failed, NOW, l10n).includes('Reason: RuntimeError\\: CUDA out of memory\\. \\(worker\\-0\\: exit with 1\\)'));
    assert.equal(trainingJobFailure(job({ phase: 'Abnormal', running_records: [{ end_reason: 'node lost', end_related_task: 'worker-1' }] })), 'node lost (worker-1)');
    assert.equal(trainingJobFailure(job({ phase: 'Failed', task_statuses: [{ task: 'worker-0', exit_code: 137, message: 'OOMKilled' }] })), 'OOMKilled (worker-0)');
    assert.equal(trainingJobFailure(job({ phase: 'Failed' })), undefined, 'no reason given: none invented');
    // A job that did not fail has no reason line, though its run has an end reason.
    const completed = job({ phase: 'Completed', task_statuses: [{ task: 'worker-0', exit_code: 0, message: '' }], running_records: [{ end_reason: 'job completed' }] });
    assert.equal(trainingJobFailure(completed), undefined);
    assert.ok(!trainingJobTooltip(completed, NOW, l10n).includes('Reason'));
  });

  it("[Q12] a reason is data: the service's text is escaped", () => {
    const hostile = '[run](command:modelarts.signOut) <b>x</b>';
    const tip = trainingJobTooltip(job({ phase: 'Failed', task_statuses: [{ task: 'worker-0', exit_code: 1, message: hostile }] }), NOW, l10n);
    assert.ok(tip.includes(`Reason: ${escapeMarkdown(`${hostile} (worker-0)`)}`), tip);
    assert.ok(!/\]\(/.test(tip) && !/(^|[^\\])</.test(tip), tip);
    const step = stepTooltip({ uuid: 's', step_name: 'train', status: 'failed', events: [], error_info: { error_code: 'STEP_FAILED', error_message: hostile } }, l10n);
    assert.ok(step.includes(`Reason: ${escapeMarkdown(`${hostile} (STEP_FAILED)`)}`), step);
  });

  it('service times (ISO with +08:00, ms epochs) show in local time with the zone', () => {
    const wf = workflowTooltip({ workflow_id: 'w', name: 'w', created_at: '2022-09-09T11:28:29.639658+08:00' }, l10n);
    // 03:28 UTC is 08:58 in India.
    assert.ok(wf.includes('Created: 2022\\-09\\-09 08\\:58 \\(UTC\\+05\\:30\\)'), wf);
    assert.ok(workflowTooltip({ workflow_id: 'w', name: 'w', created_at: 'not a time' }, l10n).includes('Created: not a time'), 'kept as sent when it does not parse');
  });
});
