// The seed manual's example bodies, verbatim (test/fixtures/seeds), through the parsers and the typed calls.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseNotebook } from '../../../src/api/notebooks';
import { TrainingJobsApi, parseTrainingJob } from '../../../src/api/trainingJobs';
import type { SaveImageRequest, TrainingJobCreateRequest, TrainingJobTagInput, WorkflowSubscriptionRequest } from '../../../src/api/types';
import { WorkflowsApi, parseStepExecution, parseWorkflowExecution, parseWorkflowSubscription, stepInstance } from '../../../src/api/workflows';
import { WorkspacesApi, parseWorkspaceQuota } from '../../../src/api/workspaces';
import { FakeHttp, PID, httpError, projectId, readSeed, rejectsWith } from '../helpers/fakeHttp';

describe('seed examples through the parsers', () => {
  it('notebook.200.json', () => {
    const nb = parseNotebook(readSeed('notebook.200.json'));
    assert.equal(nb.problems, undefined);
    assert.equal(nb.id, 'f9937afa-4451-42db-a76b-72d624749f66');
    assert.equal(nb.name, 'notebooks_test');
    assert.equal(nb.status, 'STARTING');
    assert.equal(nb.workspace_id, '0');
    assert.deepEqual(nb.lease, { create_at: 1638841744515, duration: 6327212, enable: true, type: 'TIMING', update_at: 1638844471727 });
    assert.deepEqual(nb.volume, { category: 'EFS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 50 });
    assert.equal(nb.image?.type, 'BUILD_IN');
    assert.equal(nb.image?.swr_path, 'swr.xxxxx.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1');
    assert.equal(nb.token, '5cc60e8b-8772-7690-efd6-a5874ca387c0');
  });

  it('training-job.create.201.json', () => {
    const job = parseTrainingJob(readSeed('training-job.create.201.json'));
    assert.equal(job.problems, undefined);
    assert.equal(job.metadata.id, '425b7087-83de-49ed-9e40-5bb642be956f');
    assert.equal(job.metadata.name, 'TestModelArtsJob');
    assert.equal(job.status.phase, 'Creating');
    assert.equal(job.status.secondary_phase, 'Creating');
    assert.equal(job.status.node_count_metrics, null);
    assert.deepEqual(job.status.tasks, ['worker-0', 'server-0']);
    assert.equal(job.algorithm?.engine?.engine_id, 'horovod-cp36-tf-1.16.2');
    assert.equal(job.algorithm?.parameters?.length, 3);
    assert.equal(job.spec?.resource?.flavor_name, 'Computing GPU(Vnt1) instance');
    assert.equal(job.spec?.resource?.node_count, 1);
  });

  it('training-job.get.200.json (Abnormal / CreateFailed, running_records)', () => {
    const job = parseTrainingJob(readSeed('training-job.get.200.json'));
    assert.equal(job.problems, undefined);
    assert.equal(job.status.phase, 'Abnormal');
    assert.equal(job.status.secondary_phase, 'CreateFailed');
    assert.deepEqual(job.status.node_count_metrics, [
      [1636447746000, 0],
      [1636447755000, 0],
      [1636447756000, 0],
    ]);
    assert.equal(job.status.running_records?.length, 2);
    assert.equal(job.status.running_records?.[0]?.end_recover_before_downgrade, 'npu_proc_restart');
    assert.equal(job.algorithm?.inputs?.[0]?.name, 'data_url');
    assert.equal(job.spec?.resource?.flavor_id, 'modelarts.vm.pnt1.large.eco');
  });

  it('workflow-execution.action.201.json', () => {
    const ex = parseWorkflowExecution(readSeed('workflow-execution.action.201.json'));
    assert.equal(ex.problems, undefined);
    assert.equal(ex.execution_id, '4dd2a2f5-bde2-45dd-af6b-5e5d570118d1');
    assert.equal(ex.status, 'running');
    assert.equal(ex.steps_execution.length, 1);
    assert.equal(ex.steps_execution[0]?.status, 'wait_inputs');
    assert.equal(ex.steps_execution[0]?.problems, undefined);
    assert.deepEqual(ex.events, ['2022-08-25 17:01:53 step service_step change status from init to wait_inputs']);
    assert.equal(ex.data_requirements?.length, 2);
  });

  it('workflow-step-execution.201.json (instance_id as a JSON string)', () => {
    const step = parseStepExecution(readSeed('workflow-step-execution.201.json'));
    assert.equal(step.problems, undefined);
    assert.equal(step.uuid, '2f7ad04a-60cb-4f1c-96fd-dfc9cf96363b');
    assert.equal(step.status, 'completed');
    assert.equal(step.instance_id, '{"model_id":"6fe56a95-e7f1-4388-b207-c80684af0cb8"}');
    assert.deepEqual(stepInstance(step), { model_id: '6fe56a95-e7f1-4388-b207-c80684af0cb8' });
    assert.equal(step.events.length, 4);
  });

  it('workflow-subscription.create.201.json', () => {
    const sub = parseWorkflowSubscription(readSeed('workflow-subscription.create.201.json'));
    assert.equal(sub.problems, undefined);
    assert.deepEqual(sub, {
      created_at: '2022-11-24T17:30:48.958322+08:00',
      subscription_id: '42e8a77a-512e-4d0e-a56e-4b003db82577',
      topic_urns: ['fengbin26'],
      entity: '238947895793875835893490',
      events: ['*:failed,completed', 'job_step:stop'],
    });
  });

  it('workspace-quotas.update.200.json', () => {
    const body = readSeed('workspace-quotas.update.200.json') as { quotas: unknown[] };
    const quota = parseWorkspaceQuota(body.quotas[0]);
    assert.equal(quota.problems, undefined);
    assert.equal(quota.resource, 'exemlProject.gpu_duration');
    assert.equal(quota.quota, 20);
    assert.equal(quota.min_quota, -1);
    assert.equal(quota.max_quota, 60000);
    assert.equal(quota.unit_en, 'minute');
  });

  it('a seed with an undocumented value is marked (the check above can fail)', () => {
    const seed = readSeed('notebook.200.json') as Record<string, unknown>;
    const nb = parseNotebook({ ...seed, status: 'WEIRD' });
    assert.deepEqual(nb.problems, ["unknown status 'WEIRD'"]);
    assert.equal(nb.status, 'WEIRD');
  });
});

describe('seed examples through the typed calls', () => {
  it('workspaces.list.200.json: id is the number 0, auth_type lower-case; total_count drives hasMore', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/workspaces`, { body: readSeed('workspaces.list.200.json') });
    const pager = new WorkspacesApi(http, projectId).list();
    const [ws] = await pager.loadNext();
    assert.ok(ws);
    assert.equal(ws.id, '0');
    assert.equal(ws.name, 'default');
    assert.equal(ws.auth_type, 'PUBLIC');
    assert.equal(ws.status, 'NORMAL');
    assert.equal(ws.problems, undefined);
    assert.equal(pager.total, 10);
    assert.equal(pager.hasMore, true);
  });

  it('workspace-quotas.update.200.json as the PUT answer', async () => {
    const http = new FakeHttp().on('PUT', `/v1/${PID}/workspaces/0/quotas`, { body: readSeed('workspace-quotas.update.200.json') });
    const quotas = await new WorkspacesApi(http, projectId).updateQuotas('0', [{ resource: 'exemlProject.gpu_duration', quota: 20 }]);
    assert.equal(quotas.length, 1);
    assert.equal(quotas[0]?.quota, 20);
  });

  it('workflow-executions.list.200.json: instance_id as a string and as an object', async () => {
    const http = new FakeHttp().on('GET', `/v2/${PID}/workflows/wf-1/executions`, { body: readSeed('workflow-executions.list.200.json') });
    const pager = new WorkflowsApi(http, projectId).executions('wf-1');
    const [ex] = await pager.loadNext();
    assert.ok(ex);
    assert.equal(ex.problems, undefined);
    assert.equal(ex.name, 'execution-064');
    assert.equal(ex.status, 'completed');
    const [model, service] = ex.steps_execution;
    assert.deepEqual(stepInstance(model), { model_id: '253aba02-4bd6-4f64-8d37-66022ae7af4d' });
    assert.deepEqual(service.instance_id, { type: 'deploy', service_id: '81f22d60-5488-4e3d-bba9-08c812ae84b0', status: '', update_time: 0 });
    assert.equal(stepInstance(service)?.service_id, '81f22d60-5488-4e3d-bba9-08c812ae84b0');
    assert.equal(model.problems, undefined);
    assert.equal(service.problems, undefined);
    assert.equal(pager.total, 1);
    assert.equal(pager.hasMore, false);
  });

  it('save-image-job.create.request.json: tag 0.1 (a number) is sent as "0.1"', async () => {
    const http = new FakeHttp().on('POST', `/v2/${PID}/training-jobs/2cd88daa-31a4-40a8-a58f-d186b0e93e4f/tasks/worker-0/save-image-job`, {
      status: 201,
      body: { name: 'imagesave', namespace: 'dev', tag: 0.1, description: 'hello world!', status: 'INIT', create_time: 1 },
    });
    const request = readSeed('save-image-job.create.request.json') as SaveImageRequest;
    const job = await new TrainingJobsApi(http, projectId).createSaveImageJob('2cd88daa-31a4-40a8-a58f-d186b0e93e4f', 'worker-0', request);
    assert.deepEqual(http.last.body, { name: 'imagesave', namespace: 'dev', tag: '0.1', description: 'hello world!' });
    assert.equal(job.tag, '0.1');
    assert.equal(job.status, 'INIT');
  });

  it('training-job-tags.delete.request.json: sent as the DELETE body', async () => {
    const http = new FakeHttp().on('DELETE', `/v2/${PID}/modelarts-training-job/job-1/tags/delete`, { status: 204 });
    const seed = readSeed('training-job-tags.delete.request.json') as { tags: TrainingJobTagInput[] };
    await new TrainingJobsApi(http, projectId).removeTags('job-1', seed.tags);
    assert.deepEqual(http.last.body, seed);
  });

  for (const file of ['training-job.create.request-free-flavor.json', 'training-job.create.request-custom-image.json']) {
    it(`${file}: passes validation and is sent as given`, async () => {
      const http = new FakeHttp().on('POST', `/v2/${PID}/training-jobs`, { status: 201, body: readSeed('training-job.create.201.json') });
      const request = readSeed(file) as TrainingJobCreateRequest;
      const job = await new TrainingJobsApi(http, projectId).create(request);
      assert.deepEqual(http.last.body, readSeed(file));
      assert.equal(job.status.phase, 'Creating');
    });
  }

  it('training-job.create.400.json: the service’s refusal reaches the caller unchanged', async () => {
    const seed = readSeed('training-job.create.400.json') as { error_code: string; error_msg: string };
    const http = new FakeHttp().on('POST', `/v2/${PID}/training-jobs`, httpError(400, seed.error_code, seed.error_msg));
    const error = await rejectsWith(
      new TrainingJobsApi(http, projectId).create(readSeed('training-job.create.request-free-flavor.json') as TrainingJobCreateRequest),
      'http',
    );
    assert.equal(error.code, 'ModelArts.2755');
    assert.equal(http.count(), 1);
  });

  it('workflow-step-execution.action.request.json: the stop body', async () => {
    const http = new FakeHttp().on('POST', /step-executions/, { status: 201, body: readSeed('workflow-step-execution.201.json') });
    await new WorkflowsApi(http, projectId).stepAction('wf-1', '4dd2a2f5-bde2-45dd-af6b-5e5d570118d1', '255a1079-b00a-4c3a-8218-3458f7546b8d', 'stop');
    assert.equal(
      http.last.path,
      `/v2/${PID}/workflows/wf-1/executions/4dd2a2f5-bde2-45dd-af6b-5e5d570118d1/step-executions/255a1079-b00a-4c3a-8218-3458f7546b8d/actions`,
    );
    assert.deepEqual(http.last.body, readSeed('workflow-step-execution.action.request.json'));
  });

  it('workflow-subscription.create.request.json: valid (bare topic name, both event forms) and sent as given', async () => {
    const http = new FakeHttp().on('POST', `/v2/${PID}/workflows/wf-1/subscriptions`, {
      status: 201,
      body: readSeed('workflow-subscription.create.201.json'),
    });
    const request = readSeed('workflow-subscription.create.request.json') as WorkflowSubscriptionRequest;
    const sub = await new WorkflowsApi(http, projectId).createSubscription('wf-1', request);
    assert.deepEqual(http.last.body, readSeed('workflow-subscription.create.request.json'));
    assert.equal(sub.subscription_id, '42e8a77a-512e-4d0e-a56e-4b003db82577');
  });
});
