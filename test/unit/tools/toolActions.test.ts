import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Notebook, TrainingJob, WorkflowExecution } from '../../../src/api/types';
import { englishL10n } from '../../../src/common/translate';
import { autoStopMs, checkJobStop, checkNotebookAction, checkRerun, rerunExecutionConfirmation, runFolderConfirmation, startNotebookConfirmation, stopJobConfirmation, stopNotebookConfirmation } from '../../../src/tools/toolActions';
import { ToolInputError } from '../../../src/tools/toolInput';

// The action tools' checks and confirmations: the state the lifecycle table allows, and a question that names
// the resource and what it costs.

const nb = (status: string): Notebook => ({ id: 'nb-1', name: 'bert-dev', status, flavor: 'modelarts.vm.gpu.t4' });
const job = (phase: string): TrainingJob => ({ metadata: { id: 'job-1', name: 'resnet' }, status: { phase, tasks: ['worker-0'] }, spec: { resource: { flavor_id: 'modelarts.p3.large', node_count: 2 } } });
const execution = (status: string): WorkflowExecution => ({ execution_id: 'ex-1', name: 'nightly', status, steps_execution: [], events: [] });
const refused = (run: () => void, message: RegExp): void => assert.throws(run, (e: unknown) => e instanceof ToolInputError && message.test(e.message));

describe('language model tools: the actions', () => {
  it('allows each action in the states its lifecycle allows it, and names the state otherwise', () => {
    checkNotebookAction(nb('STOPPED'), 'start', englishL10n);
    checkNotebookAction(nb('RUNNING'), 'stop', englishL10n);
    refused(() => checkNotebookAction(nb('RUNNING'), 'start', englishL10n), /^Notebook bert-dev \(nb-1\) is RUNNING: only a stopped notebook can be started\.$/);
    refused(() => checkNotebookAction(nb('STOPPED'), 'stop', englishL10n), /is STOPPED: only a running or starting notebook/);
    checkJobStop(job('Running'), englishL10n);
    refused(() => checkJobStop(job('Completed'), englishL10n), /^Training job resnet \(job-1\) is Completed: /);
    checkRerun(execution('abnormal'), englishL10n);
    refused(() => checkRerun(execution('running'), englishL10n), /^Execution nightly \(ex-1\) is running: only a finished execution can run again\.$/);
  });

  it('asks naming the resource, its flavor and the billing', () => {
    const start = startNotebookConfirmation(nb('STOPPED'), 2, englishL10n);
    assert.equal(start.title, 'Start notebook bert-dev?');
    assert.match(start.message, /nb-1.*modelarts\.vm\.gpu\.t4.*billed by the hour.*after 2 hours/);
    assert.equal(autoStopMs(1.5), 5_400_000);
    assert.match(stopNotebookConfirmation(nb('RUNNING'), englishL10n).message, /unsaved work .* lost/);
    const stop = stopJobConfirmation(job('Running'), englishL10n);
    assert.equal(stop.title, 'Stop training job resnet?');
    assert.match(stop.message, /cannot be resumed; billing for modelarts\.p3\.large × 2 stops/);
    const rerun = rerunExecutionConfirmation(execution('completed'), 'train-flow', { message: 'Rerun execution nightly of train-flow from the start?', detail: 'Every step runs again.' }, englishL10n);
    assert.equal(rerun.title, 'Rerun execution nightly of train-flow from the start?');
    assert.match(rerun.message, /Every step runs again\. Its steps may start training jobs, billed while they run\./);
    const run = runFolderConfirmation(
      { folderName: 'mnist', codeFolder: 'src', files: 12, bytes: 2048, obsFolder: 'obs://bucket/code/', flavor: 'modelarts.p3.large', nodeCount: 1, jobName: 'mnist-1207', workspaceId: '0' },
      '0.0 MB',
      englishL10n,
    );
    assert.equal(run.title, 'Run mnist on ModelArts?');
    assert.match(run.message, /12 files \(0\.0 MB\).*obs:\/\/bucket\/code\/.*mnist-1207.*modelarts\.p3\.large × 1, billed while it runs/);
  });
});
