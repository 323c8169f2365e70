import { DEMO_WORKSPACES, rfc3339China, type FamilyOptions, type EmuJsonObject } from '../framework';
import type { ExecutionDoc, StepDoc, SubscriptionDoc, WorkflowDoc, WorkflowsSeedTarget } from './records';

// Workflows of the demo seed: the seed manual's workflows, executions and subscription under their own ids
// and fields, and demo workflows with executions in every state (running ones that advance, one waiting
// for inputs, one with a failed step to retry, one stopped, one not started yet, one never run).

/** The manual's `GET .../workflows/{workflow_id}/executions` example item (execution-064, completed). */
export const MANUAL_EXECUTION_064: ExecutionDoc = {
  "created_at": "2022-06-17T17:08:16.91019+08:00",
  "name": "execution-064",
  "execution_id": "918cd9bd-62dd-4179-b5f0-773dd7184a56",
  "description": "",
  "status": "completed",
  "workspace_id": "0",
  "workflow_id": "f1642618-43eb-4ab1-a0b1-9cc584182c60",
  "workflow_name": "workflow_model_service_no_modify_xiahou_copy",
  "steps_execution": [
    {
      "created_at": "2022-06-17T17:08:16.920281+08:00",
      "uuid": "d6148a4a-4a5e-47a3-bc90-3183905b4941",
      "instance_id": "{\"model_id\":\"253aba02-4bd6-4f64-8d37-66022ae7af4d\"}",
      "step_name": "model_step",
      "step_title": "model release",
      "status": "completed",
      "duration": 16,
      "inputs": [
        {
          "name": "model_input",
          "type": "obs",
          "data": "$ref/data_requirements/model_input",
          "value": {
            "object_type": [
              "DIRECTORY"
            ],
            "obs_url": "/test-crq/train_output/"
          }
        }
      ],
      "outputs": [
        {
          "name": "model_output",
          "type": "model",
          "config": {
            "model_id": "253aba02-4bd6-4f64-8d37-66022ae7af4d"
          }
        }
      ],
      "properties": {
        "model_name": "lh-xh",
        "model_type": "TensorFlow"
      },
      "events": [
        "2022-06-17 17:08:17 change status from init to creating",
        "2022-06-17 17:08:19 change status from creating to created",
        "2022-06-17 17:08:20 change status from created to running",
        "2022-06-17 17:08:33 change status from running to completed"
      ],
      "policy": {}
    },
    {
      "created_at": "2022-06-17T17:08:33.038184+08:00",
      "uuid": "b34b2b54-eb70-4c7f-a92d-05f849d8c39a",
      "instance_id": {
        "type": "deploy",
        "service_id": "81f22d60-5488-4e3d-bba9-08c812ae84b0",
        "status": "",
        "update_time": 0
      },
      "step_name": "service_step",
      "step_title": "service install",
      "status": "completed",
      "duration": 83430,
      "inputs": [
        {
          "name": "service_input",
          "type": "model_list",
          "data": "$ref/data_requirements/service_model",
          "value": {
            "model_list": [
              {
                "envs": {},
                "instance_count": 1,
                "model_id": "253aba02-4bd6-4f64-8d37-66022ae7af4d",
                "model_name": "lh-xh",
                "model_version": "0.0.62",
                "specification": "modelarts.vm.ai1",
                "weight": 100
              }
            ]
          }
        }
      ],
      "outputs": [
        {
          "name": "service_output",
          "type": "service",
          "config": {
            "service_id": "81f22d60-5488-4e3d-bba9-08c812ae84b0"
          }
        }
      ],
      "properties": {
        "infer_type": "real-time",
        "schedule": -1
      },
      "events": [
        "2022-06-17 17:08:34 change status from init to wait_inputs",
        "2022-06-18 16:16:58 change status from wait_inputs to creating",
        "2022-06-18 16:17:01 change status from creating to created",
        "2022-06-18 16:17:02 change status from created to running",
        "2022-06-18 16:19:03 change status from running to completed"
      ],
      "policy": {}
    }
  ],
  "duration": 11852428,
  "events": [
    "2022-06-17 17:08:17 step model_step change status from init to creating",
    "2022-06-17 17:08:19 step model_step change status from creating to created",
    "2022-06-17 17:08:20 step model_step change status from created to running",
    "2022-06-17 17:08:33 step model_step change status from running to completed",
    "2022-06-17 17:08:34 step service_step change status from init to wait_inputs",
    "2022-06-18 16:16:58 step service_step change status from wait_inputs to creating",
    "2022-06-18 16:17:01 step service_step change status from creating to created",
    "2022-06-18 16:17:02 step service_step change status from created to running",
    "2022-06-18 16:19:03 step service_step change status from running to completed"
  ],
  "data_requirements": [
    {
      "name": "model_input",
      "type": "obs",
      "conditions": [
        {
          "attribute": "object_type",
          "operator": "equal",
          "value": "directory"
        }
      ],
      "value": {
        "object_type": [
          "DIRECTORY"
        ],
        "obs_url": "/test-crq/train_output/"
      },
      "used_steps": [
        "model_step"
      ]
    },
    {
      "name": "service_model",
      "type": "model_list",
      "delay": true,
      "conditions": [
        {
          "attribute": "model_name",
          "operator": "equal",
          "value": "lh-xh"
        }
      ],
      "value": {
        "model_list": [
          {
            "envs": {},
            "instance_count": 1,
            "model_id": "253aba02-4bd6-4f64-8d37-66022ae7af4d",
            "model_name": "lh-xh",
            "model_version": "0.0.62",
            "specification": "modelarts.vm.ai1",
            "weight": 100
          }
        ]
      },
      "used_steps": [
        "service_step"
      ]
    }
  ],
  "parameters": [
    {
      "name": "schedule_d5sm",
      "type": "int",
      "format": "schedule",
      "description": "Set how long the deployed service will stop in hours, where -1 means the service will always run",
      "delay": true,
      "value": -1,
      "used_steps": [
        "service_step"
      ]
    }
  ],
  "policies": {}
};

/** The manual's execution-action example (execution-005, running, service_step waiting for inputs). */
export const MANUAL_EXECUTION_005: ExecutionDoc = {
  "created_at": "2022-08-25T17:01:52.490825+08:00",
  "name": "execution-005",
  "execution_id": "4dd2a2f5-bde2-45dd-af6b-5e5d570118d1",
  "description": "",
  "status": "running",
  "workspace_id": "0",
  "workflow_id": "bd0ac50e-69b1-4d20-ae38-abb221084fc6",
  "workflow_name": "workflow-service-infer",
  "steps_execution": [
    {
      "created_at": "2022-08-25T17:01:52.500034+08:00",
      "uuid": "54979c30-cc48-4eaa-8b0f-b6eb6e000bb5",
      "step_name": "service_step",
      "step_title": "service_step",
      "status": "wait_inputs",
      "duration": 1,
      "events": [
        "2022-08-25 17:01:53 change status from init to wait_inputs"
      ],
      "policy": {}
    }
  ],
  "duration": 1,
  "events": [
    "2022-08-25 17:01:53 step service_step change status from init to wait_inputs"
  ],
  "data_requirements": [
    {
      "name": "si_placeholder1",
      "type": "model_list",
      "delay": true,
      "conditions": [
        {
          "attribute": "model_name",
          "operator": "equal",
          "value": "model_test444444222222"
        }
      ],
      "used_steps": [
        "service_step"
      ]
    },
    {
      "name": "si_placeholder2",
      "type": "model_list",
      "delay": true,
      "conditions": [
        {
          "attribute": "model_name",
          "operator": "equal",
          "value": "model_test444444222222"
        },
        {
          "attribute": "envs",
          "operator": "equal",
          "value": {
            "infer_address": "$ref/consumptions/service_step/service_output/access_address"
          }
        }
      ],
      "used_steps": [
        "service_step2"
      ]
    }
  ],
  "parameters": [
    {
      "name": "schedule_KZ27",
      "type": "int",
      "format": "schedule",
      "description": "Set how long the deployed service will stop in hours, where -1 means the service will always run",
      "delay": true,
      "used_steps": [
        "service_step",
        "service_step2"
      ]
    },
    {
      "name": "placeholder_name",
      "type": "str",
      "value": "model_test4444",
      "used_steps": [
        "service_step",
        "service_step2"
      ]
    }
  ],
  "policies": {}
};

/** The manual's step-execution example (model_step of a completed run). */
export const MANUAL_STEP_EXECUTION: StepDoc = {
  "created_at": "2022-11-01T21:36:04.310635+08:00",
  "uuid": "2f7ad04a-60cb-4f1c-96fd-dfc9cf96363b",
  "instance_id": "{\"model_id\":\"6fe56a95-e7f1-4388-b207-c80684af0cb8\"}",
  "step_name": "model_step",
  "step_title": "model release",
  "status": "completed",
  "duration": 15,
  "inputs": [
    {
      "name": "model_input",
      "type": "obs",
      "data": "$ref/data_requirements/model_input",
      "value": {
        "object_type": [
          "DIRECTORY"
        ],
        "obs_url": "/test-crq/train_output/"
      }
    }
  ],
  "outputs": [
    {
      "name": "model_output",
      "type": "model",
      "config": {
        "model_id": "6fe56a95-e7f1-4388-b207-c80684af0cb8"
      }
    }
  ],
  "properties": {
    "model_name": "lh-xh",
    "model_type": "TensorFlow"
  },
  "events": [
    "2022-11-01 21:36:05 change status from init to creating",
    "2022-11-01 21:36:09 change status from creating to created",
    "2022-11-01 21:36:09 change status from created to running",
    "2022-11-01 21:36:19 change status from running to completed"
  ],
  "policy": {}
};

/** The manual's subscription example. */
export const MANUAL_SUBSCRIPTION: SubscriptionDoc = {
  "created_at": "2022-11-24T17:30:48.958322+08:00",
  "subscription_id": "42e8a77a-512e-4d0e-a56e-4b003db82577",
  "topic_urns": [
    "fengbin26"
  ],
  "entity": "238947895793875835893490",
  "events": [
    "*:failed,completed",
    "job_step:stop"
  ]
};

export const MANUAL_WORKFLOW_064_ID = 'f1642618-43eb-4ab1-a0b1-9cc584182c60';
export const MANUAL_WORKFLOW_005_ID = 'bd0ac50e-69b1-4d20-ae38-abb221084fc6';
/** The step the manual stops: service_step2 of execution-005, not started in the manual's snapshot. */
export const MANUAL_HIDDEN_STEP_ID = '255a1079-b00a-4c3a-8218-3458f7546b8d';
/** The demo workflow that carries the manual's subscription (its steps include `job_step`). */
export const SUBSCRIPTION_WORKFLOW_ID = '6a3e1c52-9d47-4b8e-a1f0-2c5d7e9b3f10';
export const STEP_EXAMPLE_WORKFLOW_ID = '0b9d2f6e-71c4-4a53-9e8d-5f2a1c3b7d64';
export const STEP_EXAMPLE_EXECUTION_ID = 'c7e4a1b9-3f2d-4c6e-8a5b-9d1e0f2a4b73';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SCHEDULE_DESCRIPTION = 'Set how long the deployed service will stop in hours, where -1 means the service will always run';

interface WorkflowSpec {
  id: string;
  name: string;
  description?: string;
  workspaceId: string;
  createdMs: number;
  steps: EmuJsonObject[];
  dataRequirements?: EmuJsonObject[];
  parameters?: EmuJsonObject[];
  labels?: string[];
  runCount?: number;
}

function workflowDoc(spec: WorkflowSpec, userName: string): WorkflowDoc {
  const created = rfc3339China(spec.createdMs);
  return {
    workflow_id: spec.id,
    name: spec.name,
    description: spec.description ?? '',
    created_at: created,
    last_modified_at: created,
    user_name: userName,
    workspace_id: spec.workspaceId,
    steps: spec.steps,
    data_requirements: spec.dataRequirements ?? [],
    data: [],
    parameters: spec.parameters ?? [],
    labels: spec.labels ?? [],
    storages: [{ name: 'output_storage', type: 'obs', path: `obs://demo-bucket/workflows/${spec.name}/` }],
    sub_graphs: [],
    run_count: spec.runCount ?? 0,
    param_ready: true,
    with_subscription: false,
    smn_switch: false,
  };
}

const modelStep = (title = 'model release', dataRef = 'model_input', extra: EmuJsonObject = {}): EmuJsonObject => ({
  name: 'model_step',
  type: 'model',
  title,
  inputs: [{ name: 'model_input', type: 'obs', data: `$ref/data_requirements/${dataRef}` }],
  outputs: [{ name: 'model_output', type: 'model' }],
  properties: { model_name: 'lh-xh', model_type: 'TensorFlow' },
  ...extra,
});

const serviceStep = (name: string, title: string, dataRef: string, schedule: string, depends: string[]): EmuJsonObject => ({
  name,
  type: 'service',
  title,
  inputs: [{ name: 'service_input', type: 'model_list', data: `$ref/data_requirements/${dataRef}` }],
  outputs: [{ name: 'service_output', type: 'service' }],
  properties: { infer_type: 'real-time', schedule: `$ref/parameters/${schedule}` },
  ...(depends.length > 0 ? { depend_steps: depends } : {}),
});

const obsInput = (name: string, usedBy: string[], url = '/test-crq/train_output/'): EmuJsonObject => ({
  name,
  type: 'obs',
  conditions: [{ attribute: 'object_type', operator: 'equal', value: 'directory' }],
  value: { object_type: ['DIRECTORY'], obs_url: url },
  used_steps: usedBy,
});

const scheduleParam = (name: string, usedBy: string[]): EmuJsonObject => ({
  name,
  type: 'int',
  format: 'schedule',
  description: SCHEDULE_DESCRIPTION,
  delay: true,
  used_steps: usedBy,
});

export function seedWorkflows(target: WorkflowsSeedTarget, opts: FamilyOptions): void {
  if (opts.seed !== 'demo') return;
  const t0 = opts.clock.now();
  const user = opts.userName;
  const [ws0, vision, nlp] = DEMO_WORKSPACES.map((w) => w.id);

  // The manual's execution-064 and its workflow.
  target.seedWorkflow(
    workflowDoc(
      {
        id: MANUAL_WORKFLOW_064_ID,
        name: 'workflow_model_service_no_modify_xiahou_copy',
        workspaceId: '0',
        createdMs: Date.parse('2022-06-10T10:21:45.123+08:00'),
        steps: [modelStep(), serviceStep('service_step', 'service install', 'service_model', 'schedule_d5sm', ['model_step'])],
        dataRequirements: [
          obsInput('model_input', ['model_step']),
          {
            name: 'service_model',
            type: 'model_list',
            delay: true,
            conditions: [{ attribute: 'model_name', operator: 'equal', value: 'lh-xh' }],
            used_steps: ['service_step'],
          },
        ],
        parameters: [scheduleParam('schedule_d5sm', ['service_step'])],
        runCount: 64,
      },
      user,
    ),
    Date.parse('2022-06-10T10:21:45.123+08:00'),
  );
  target.seedFixtureExecution(MANUAL_WORKFLOW_064_ID, { doc: MANUAL_EXECUTION_064, createdMs: Date.parse(MANUAL_EXECUTION_064.created_at) }, t0);

  // The manual's execution-005: running, service_step waiting for inputs, service_step2 not started.
  target.seedWorkflow(
    workflowDoc(
      {
        id: MANUAL_WORKFLOW_005_ID,
        name: 'workflow-service-infer',
        workspaceId: '0',
        createdMs: Date.parse('2022-08-20T09:12:31.402+08:00'),
        steps: [
          serviceStep('service_step', 'service_step', 'si_placeholder1', 'schedule_KZ27', []),
          serviceStep('service_step2', 'service_step2', 'si_placeholder2', 'schedule_KZ27', ['service_step']),
        ],
        dataRequirements: MANUAL_EXECUTION_005.data_requirements,
        parameters: MANUAL_EXECUTION_005.parameters,
        runCount: 5,
      },
      user,
    ),
    Date.parse('2022-08-20T09:12:31.402+08:00'),
  );
  target.seedFixtureExecution(
    MANUAL_WORKFLOW_005_ID,
    {
      doc: MANUAL_EXECUTION_005,
      createdMs: Date.parse(MANUAL_EXECUTION_005.created_at),
      hiddenSteps: [{ name: 'service_step2', uuid: MANUAL_HIDDEN_STEP_ID, createdAt: '2022-08-25T17:01:52.500127+08:00' }],
    },
    t0,
  );

  // The manual's step-execution example, as the only step of a completed run.
  target.seedWorkflow(
    workflowDoc(
      {
        id: STEP_EXAMPLE_WORKFLOW_ID,
        name: 'workflow_model_release',
        workspaceId: '0',
        createdMs: Date.parse('2022-10-28T15:40:02.118+08:00'),
        steps: [modelStep()],
        dataRequirements: [obsInput('model_input', ['model_step'])],
        runCount: 1,
      },
      user,
    ),
    Date.parse('2022-10-28T15:40:02.118+08:00'),
  );
  target.seedFixtureExecution(
    STEP_EXAMPLE_WORKFLOW_ID,
    {
      doc: {
        created_at: '2022-11-01T21:36:04.298412+08:00',
        name: 'execution-001',
        execution_id: STEP_EXAMPLE_EXECUTION_ID,
        description: '',
        status: 'completed',
        workspace_id: '0',
        workflow_id: STEP_EXAMPLE_WORKFLOW_ID,
        workflow_name: 'workflow_model_release',
        steps_execution: [MANUAL_STEP_EXECUTION],
        duration: 15,
        events: MANUAL_STEP_EXECUTION.events.map((e) => e.replace(' change status', ' step model_step change status')),
        data_requirements: [obsInput('model_input', ['model_step'])],
        parameters: [],
        policies: {},
      },
      createdMs: Date.parse('2022-11-01T21:36:04.298+08:00'),
    },
    t0,
  );

  // Train, register and deploy: carries the manual's subscription; one run done, one running for hours.
  target.seedWorkflow(
    workflowDoc(
      {
        id: SUBSCRIPTION_WORKFLOW_ID,
        name: 'train-and-deploy',
        description: 'Train an image classifier, register the model and deploy it',
        workspaceId: vision,
        createdMs: t0 - 3 * 24 * HOUR,
        steps: [
          {
            name: 'job_step',
            type: 'job',
            title: 'train the classifier',
            inputs: [{ name: 'data_url', type: 'obs', data: '$ref/data_requirements/train_data' }],
            outputs: [{ name: 'train_url', type: 'obs', config: { obs_url: 'obs://demo-bucket/train-and-deploy/output/' } }],
            properties: { algorithm: { id: 'b0f3c4a2-5d1e-4f7a-9c8b-2e6d1a0f9b31' }, spec: { resource: { flavor_id: '$ref/parameters/train_spec', node_count: 1 } } },
          },
          modelStep('register the model', 'train_data', { depend_steps: ['job_step'] }),
          serviceStep('service_step', 'deploy the service', 'train_data', 'service_schedule', ['model_step']),
        ],
        dataRequirements: [obsInput('train_data', ['job_step', 'model_step', 'service_step'], '/demo-bucket/train-and-deploy/data/')],
        parameters: [
          { name: 'train_spec', type: 'str', format: 'flavor', value: 'modelarts.p3.large.ex', used_steps: ['job_step'] },
          { name: 'service_schedule', type: 'int', format: 'schedule', description: SCHEDULE_DESCRIPTION, value: -1, used_steps: ['service_step'] },
        ],
        labels: ['vision', 'production'],
      },
      user,
    ),
    t0 - 3 * 24 * HOUR,
  );
  target.seedSubscription(SUBSCRIPTION_WORKFLOW_ID, MANUAL_SUBSCRIPTION);
  target.seedRun(SUBSCRIPTION_WORKFLOW_ID, { name: 'execution-001', createdMs: t0 - 6 * HOUR, runMs: { job_step: 40 * MINUTE } });
  target.seedRun(SUBSCRIPTION_WORKFLOW_ID, { name: 'execution-002', createdMs: t0 - 4 * MINUTE, runMs: { job_step: 3 * HOUR } });

  // A fine-tuning pipeline: one run failed in train_step (a retry succeeds), one stopped by the user.
  const nlpWorkflowId = '9e2b7c41-5a8d-4f36-b0c9-1d4e6f8a2b57';
  target.seedWorkflow(
    workflowDoc(
      {
        id: nlpWorkflowId,
        name: 'nlp-finetune-pipeline',
        description: 'Import a corpus, fine-tune BERT, register the model',
        workspaceId: nlp,
        createdMs: t0 - 5 * 24 * HOUR,
        steps: [
          { name: 'dataset_step', type: 'dataset_import', title: 'import the corpus', properties: { dataset_name: 'news-corpus' } },
          {
            name: 'train_step',
            type: 'job',
            title: 'fine-tune BERT',
            depend_steps: ['dataset_step'],
            properties: { algorithm: { id: '7d2e9f10-3c4b-4a5d-8e6f-0a1b2c3d4e5f' } },
          },
          modelStep('register the model', 'model_input', { depend_steps: ['train_step'] }),
        ],
        dataRequirements: [obsInput('model_input', ['model_step'], '/demo-bucket/nlp/output/')],
        labels: ['nlp'],
      },
      user,
    ),
    t0 - 5 * 24 * HOUR,
  );
  target.seedRun(nlpWorkflowId, { name: 'execution-001', createdMs: t0 - 3 * HOUR, failures: { train_step: 1 }, runMs: { train_step: 20 * MINUTE } });
  target.seedRun(nlpWorkflowId, { name: 'execution-002', createdMs: t0 - 2 * HOUR, runMs: { train_step: 30 * MINUTE }, stopAt: t0 - 2 * HOUR + 5 * MINUTE });

  // Daily batch inference: one run done, one waiting for its schedule input, one queued to start.
  const batchWorkflowId = '3c8f1a6d-2e4b-4d79-a5c0-8b1f9e7d6a25';
  target.seedWorkflow(
    workflowDoc(
      {
        id: batchWorkflowId,
        name: 'batch-inference-daily',
        description: 'Register the latest model and deploy it for batch inference',
        workspaceId: ws0,
        createdMs: t0 - 10 * 24 * HOUR,
        steps: [modelStep(), serviceStep('service_step', 'service install', 'model_input', 'schedule_daily', ['model_step'])],
        dataRequirements: [obsInput('model_input', ['model_step', 'service_step'], '/demo-bucket/batch/model/')],
        parameters: [scheduleParam('schedule_daily', ['service_step'])],
        labels: ['batch'],
      },
      user,
    ),
    t0 - 10 * 24 * HOUR,
  );
  target.seedRun(batchWorkflowId, { name: 'execution-001', createdMs: t0 - 24 * HOUR, parameters: [{ name: 'schedule_daily', value: -1 }] });
  target.seedRun(batchWorkflowId, { name: 'execution-002', createdMs: t0 - 10 * MINUTE });
  target.seedRun(batchWorkflowId, { name: 'execution-003', createdMs: t0, startDelayMs: 10 * MINUTE, parameters: [{ name: 'schedule_daily', value: 24 }] });

  // Never run.
  target.seedWorkflow(
    workflowDoc(
      {
        id: 'd4a7e2c9-6b1f-4e83-9a5d-7c0b2e4f1a68',
        name: 'data-labeling-flow',
        description: 'Label new images and publish a dataset version',
        workspaceId: nlp,
        createdMs: t0 - 2 * 24 * HOUR,
        steps: [
          { name: 'labeling_step', type: 'labeling', title: 'label the images' },
          { name: 'release_step', type: 'release_dataset', title: 'publish the dataset', depend_steps: ['labeling_step'] },
        ],
      },
      user,
    ),
    t0 - 2 * 24 * HOUR,
  );

  target.runDue(t0);
}
