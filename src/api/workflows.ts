// Workflows v2 (`/v2/{pid}/workflows…`): workflows, executions, step actions and subscriptions.

import { postWithReread } from './rereadAfterPost';
import { Pager } from './paging';
import { FieldReader, compact, expectObject, isRecord, listItems, readCount } from './parse';
import { ResourceClient, definedQuery, responseInfo } from './resource';
import {
  EXECUTION_STATUSES,
  STEP_STATUSES,
  WORKFLOW_STATUSES,
  type ActionOutcome,
  type ExecutionStatus,
  type JsonObject,
  type StepActionName,
  type StepExecution,
  type Workflow,
  type WorkflowExecution,
  type WorkflowStatus,
  type WorkflowStep,
  type WorkflowSubscription,
  type WorkflowSubscriptionRequest,
} from './types';
import {
  ensureValid,
  validateExecutionAction,
  validatePageSize,
  validateStepAction,
  validateSubscriptionRequest,
  validateWorkspaceId,
} from './validate';

// ---------------------------------------------------------------- parsers

function parseStep(value: JsonObject, problems: string[]): WorkflowStep {
  const r = new FieldReader(value, problems, 'steps.');
  return compact<WorkflowStep>({
    name: r.requiredString('name'),
    type: r.string('type'),
    title: r.string('title'),
    description: r.string('description'),
    depend_steps: r.strings('depend_steps'),
    inputs: r.records('inputs'),
    outputs: r.records('outputs'),
    properties: r.record('properties'),
    policy: r.record('policy'),
    created_at: r.string('created_at'),
  });
}

export function parseWorkflow(value: unknown): Workflow {
  const r = new FieldReader(value);
  const latest = r.nested('latest_execution');
  return r.finish<Workflow>({
    workflow_id: r.requiredString('workflow_id'),
    name: r.label('name'),
    description: r.string('description'),
    created_at: r.string('created_at'),
    last_modified_at: r.string('last_modified_at'),
    user_name: r.string('user_name'),
    workspace_id: r.string('workspace_id'),
    // Documented only as a list filter, so an object without it is fine.
    status: r.enumValue('status', WORKFLOW_STATUSES),
    steps: r.records('steps')?.map((s) => parseStep(s, r.problems)),
    labels: r.strings('labels'),
    parameters: r.records('parameters'),
    data_requirements: r.records('data_requirements'),
    latest_execution:
      latest &&
      compact({
        execution_id: latest.string('execution_id'),
        created_at: latest.string('created_at'),
        status: latest.enumValue('status', EXECUTION_STATUSES),
        running_steps: latest.strings('running_steps'),
        current_steps: latest.strings('current_steps'),
        duration: latest.number('duration'),
      }),
    run_count: r.number('run_count'),
    with_subscription: r.boolean('with_subscription'),
    subscription_id: r.string('subscription_id'),
    smn_switch: r.boolean('smn_switch'),
  });
}

export function parseStepExecution(value: unknown): StepExecution {
  const r = new FieldReader(value);
  const raw = r.obj.instance_id;
  // A JSON string for some step types, an object for others (both appear in the manual's example).
  const instanceId = isRecord(raw) ? raw : r.string('instance_id');
  const errorInfo = r.nested('error_info');
  return r.finish<StepExecution>({
    uuid: r.requiredString('uuid'),
    step_name: r.label('step_name'),
    step_title: r.string('step_title'),
    step_uuid: r.string('step_uuid'),
    execution_name: r.string('execution_name'),
    execution_uuid: r.string('execution_uuid'),
    name: r.string('name'),
    type: r.string('type'),
    instance_id: instanceId,
    status: r.enumValue('status', STEP_STATUSES, { required: true }),
    created_at: r.string('created_at'),
    updated_at: r.string('updated_at'),
    duration: r.number('duration'),
    inputs: r.records('inputs'),
    outputs: r.records('outputs'),
    properties: r.record('properties'),
    events: r.strings('events') ?? [],
    error_info: errorInfo && compact({ error_code: errorInfo.string('error_code'), error_message: errorInfo.string('error_message') }),
    policy: r.record('policy'),
    conditions_execution: r.record('conditions_execution'),
  });
}

/** The step's instance as an object, whichever way the API sent `instance_id`; undefined if unreadable. */
export function stepInstance(step: Pick<StepExecution, 'instance_id'>): JsonObject | undefined {
  const id = step.instance_id;
  if (id === undefined || isRecord(id)) return id;
  try {
    const parsed: unknown = JSON.parse(id);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Steps carry their own problems, so one bad step marks that step's row only. */
export function parseWorkflowExecution(value: unknown): WorkflowExecution {
  const r = new FieldReader(value);
  return r.finish<WorkflowExecution>({
    execution_id: r.requiredString('execution_id'),
    name: r.label('name', false),
    description: r.string('description'),
    status: r.enumValue('status', EXECUTION_STATUSES, { required: true }),
    created_at: r.string('created_at'),
    duration: r.number('duration'),
    workspace_id: r.string('workspace_id'),
    workflow_id: r.string('workflow_id'),
    workflow_name: r.string('workflow_name'),
    scene_id: r.string('scene_id'),
    scene_name: r.string('scene_name'),
    steps_execution: (r.array('steps_execution') ?? []).map(parseStepExecution),
    events: r.strings('events') ?? [],
    labels: r.strings('labels'),
    data_requirements: r.records('data_requirements'),
    parameters: r.records('parameters'),
    policies: r.record('policies'),
  });
}

export function parseWorkflowSubscription(value: unknown): WorkflowSubscription {
  const r = new FieldReader(value);
  return r.finish<WorkflowSubscription>({
    subscription_id: r.requiredString('subscription_id'),
    created_at: r.string('created_at'),
    topic_urns: r.strings('topic_urns') ?? [],
    entity: r.string('entity'),
    events: r.strings('events') ?? [],
  });
}

// ---------------------------------------------------------------- API

export interface WorkflowListOptions {
  name?: string;
  /** How `name` matches; `contain` by default when a name is given. */
  searchType?: 'equal' | 'contain';
  status?: WorkflowStatus;
  sortBy?: string;
  labels?: string;
  /** Default 20. */
  pageSize?: number;
}

export interface ExecutionListOptions {
  workspaceId?: string;
  status?: ExecutionStatus;
  labels?: string;
  sceneId?: string;
  /** Default 20. */
  pageSize?: number;
}

// The reference gives no limit for workflow lists; this bound only guards against nonsense.
const WORKFLOW_PAGE_SIZES = { min: 1, max: 1000 };

/** A step's state after each action took (what a re-read must show to confirm it). */
const STEP_ACTION_TOOK: Readonly<Record<StepActionName, readonly string[]>> = {
  stop: ['stopping', 'stopped'],
  retry: ['init', 'wait_inputs', 'pending', 'creating', 'created', 'running', 'completed'],
  continue: ['pending', 'creating', 'created', 'running', 'completed'],
};

/** Workflow and execution lists: `offset` counts records (sent as text, as documented), `total` counts all. */
function recordPageQuery(offset: number, limit: number): { offset: string; limit: string } {
  return { offset: String(offset), limit: String(limit) };
}

export class WorkflowsApi extends ResourceClient {
  list(options: WorkflowListOptions = {}): Pager<Workflow> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(validatePageSize(pageSize, WORKFLOW_PAGE_SIZES));
    const hasName = options.name !== undefined && options.name !== '';
    return new Pager<Workflow>(async ({ offset, limit, signal }) => {
      const response = await this.call('workflows.list', 'GET', 'v2', ['workflows'], {
        query: definedQuery({
          ...recordPageQuery(offset, limit),
          name: options.name,
          search_type: hasName ? (options.searchType ?? 'contain') : undefined,
          status: options.status,
          sort_by: options.sortBy,
          labels: options.labels,
        }),
        signal,
      });
      const { envelope, items } = listItems(response.body, 'items', 'workflows.list', responseInfo(response));
      return { items: items.map(parseWorkflow), total: readCount(envelope, 'total') };
    }, pageSize);
  }

  async get(workflowId: string, options: { workspaceId?: string } = {}, signal?: AbortSignal): Promise<Workflow> {
    this.checkIds(['workflow id', workflowId]);
    const response = await this.call('workflows.get', 'GET', 'v2', ['workflows', workflowId], {
      query: definedQuery({ workspace_id: options.workspaceId }),
      signal,
    });
    return parseWorkflow(expectObject(response.body, 'workflows.get', responseInfo(response)));
  }

  /** Executions, newest first (`sort_by=create_time&order=desc`). */
  executions(workflowId: string, options: ExecutionListOptions = {}): Pager<WorkflowExecution> {
    this.checkIds(['workflow id', workflowId]);
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, WORKFLOW_PAGE_SIZES),
      options.workspaceId === undefined ? undefined : validateWorkspaceId(options.workspaceId),
    );
    return new Pager<WorkflowExecution>(async ({ offset, limit, signal }) => {
      const response = await this.call('workflows.executions', 'GET', 'v2', ['workflows', workflowId, 'executions'], {
        query: definedQuery({
          ...recordPageQuery(offset, limit),
          workspace_id: options.workspaceId,
          status: options.status,
          labels: options.labels,
          scene_id: options.sceneId,
          sort_by: 'create_time',
          order: 'desc',
        }),
        signal,
      });
      const { envelope, items } = listItems(response.body, 'items', 'workflows.executions', responseInfo(response));
      return { items: items.map(parseWorkflowExecution), total: readCount(envelope, 'total') };
    }, pageSize);
  }

  async getExecution(workflowId: string, executionId: string, signal?: AbortSignal): Promise<WorkflowExecution> {
    this.checkIds(['workflow id', workflowId], ['execution id', executionId]);
    const response = await this.call('workflows.getExecution', 'GET', 'v2', ['workflows', workflowId, 'executions', executionId], { signal });
    return parseWorkflowExecution(expectObject(response.body, 'workflows.getExecution', responseInfo(response)));
  }

  /**
   * `{"action_name":"stop"}`; after an uncertain failure, a `stopped` execution, or one whose steps are
   * `stopping`, counts as stopped.
   */
  async stopExecution(
    workflowId: string,
    executionId: string,
    options: { currentStatus?: string } = {},
    signal?: AbortSignal,
  ): Promise<ActionOutcome<WorkflowExecution>> {
    this.checkIds(['workflow id', workflowId], ['execution id', executionId]);
    ensureValid(validateExecutionAction('stop', options.currentStatus));
    // The execution stays `running` while its steps are `stopping`, so either shows the stop took.
    return this.executionAction(
      workflowId,
      executionId,
      'workflows.stopExecution',
      { action_name: 'stop' },
      (ex) => ex.status === 'stopped' || ex.steps_execution.some((s) => s.status === 'stopping'),
      signal,
    );
  }

  /**
   * `{"action_name":"rerun", "policies":{"rerun_steps":[…]}}` (policies only when steps are named); after an
   * uncertain failure, an `init` or `running` execution counts as rerun.
   */
  async rerunExecution(
    workflowId: string,
    executionId: string,
    options: { rerunSteps?: readonly string[]; currentStatus?: string } = {},
    signal?: AbortSignal,
  ): Promise<ActionOutcome<WorkflowExecution>> {
    this.checkIds(['workflow id', workflowId], ['execution id', executionId]);
    ensureValid(
      validateExecutionAction('rerun', options.currentStatus),
      options.rerunSteps?.some((s) => typeof s !== 'string' || s.trim() === '') ? 'A step to rerun has no name.' : undefined,
    );
    const body: JsonObject = { action_name: 'rerun' };
    if (options.rerunSteps !== undefined && options.rerunSteps.length > 0) body.policies = { rerun_steps: [...options.rerunSteps] };
    return this.executionAction(workflowId, executionId, 'workflows.rerunExecution', body, (ex) => ex.status === 'init' || ex.status === 'running', signal);
  }

  private executionAction(
    workflowId: string,
    executionId: string,
    operation: string,
    body: JsonObject,
    took: (fresh: WorkflowExecution) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<ActionOutcome<WorkflowExecution>> {
    return postWithReread({
      post: async () => {
        const response = await this.call(operation, 'POST', 'v2', ['workflows', workflowId, 'executions', executionId, 'actions'], { body, signal });
        return parseWorkflowExecution(expectObject(response.body, operation, responseInfo(response)));
      },
      reread: () => this.getExecution(workflowId, executionId, signal),
      took,
    });
  }

  /**
   * Stop, retry or continue one step (`…/step-executions/{id}/actions`). With `currentStatus`, an action the
   * step's state does not allow is refused before sending. After an uncertain failure the execution is read
   * and the step's new state decides.
   */
  async stepAction(
    workflowId: string,
    executionId: string,
    stepExecutionId: string,
    action: StepActionName,
    options: { currentStatus?: string } = {},
    signal?: AbortSignal,
  ): Promise<ActionOutcome<StepExecution>> {
    this.checkIds(['workflow id', workflowId], ['execution id', executionId], ['step execution id', stepExecutionId]);
    ensureValid(validateStepAction(action, options.currentStatus));
    const operation = `workflows.step.${action}`;
    return postWithReread({
      post: async () => {
        const response = await this.call(
          operation,
          'POST',
          'v2',
          ['workflows', workflowId, 'executions', executionId, 'step-executions', stepExecutionId, 'actions'],
          { body: { action_name: action }, signal },
        );
        return parseStepExecution(expectObject(response.body, operation, responseInfo(response)));
      },
      reread: async () => {
        const execution = await this.getExecution(workflowId, executionId, signal);
        const step = execution.steps_execution.find((s) => s.uuid === stepExecutionId);
        if (step === undefined) throw new Error(`step ${stepExecutionId} not in execution ${executionId}`);
        return step;
      },
      took: (step) => STEP_ACTION_TOOK[action].includes(step.status ?? ''),
    });
  }

  /** 201 with the subscription. */
  async createSubscription(workflowId: string, request: WorkflowSubscriptionRequest, signal?: AbortSignal): Promise<WorkflowSubscription> {
    this.checkIds(['workflow id', workflowId]);
    ensureValid(validateSubscriptionRequest(request));
    const response = await this.call('workflows.createSubscription', 'POST', 'v2', ['workflows', workflowId, 'subscriptions'], {
      body: subscriptionBody(request),
      signal,
    });
    return parseWorkflowSubscription(expectObject(response.body, 'workflows.createSubscription', responseInfo(response)));
  }

  async getSubscription(workflowId: string, subscriptionId: string, signal?: AbortSignal): Promise<WorkflowSubscription> {
    this.checkIds(['workflow id', workflowId], ['subscription id', subscriptionId]);
    const response = await this.call('workflows.getSubscription', 'GET', 'v2', ['workflows', workflowId, 'subscriptions', subscriptionId], { signal });
    return parseWorkflowSubscription(expectObject(response.body, 'workflows.getSubscription', responseInfo(response)));
  }

  /** The answer's status and body are not documented: the subscription when one comes back, else undefined. */
  async updateSubscription(
    workflowId: string,
    subscriptionId: string,
    request: WorkflowSubscriptionRequest,
    signal?: AbortSignal,
  ): Promise<WorkflowSubscription | undefined> {
    this.checkIds(['workflow id', workflowId], ['subscription id', subscriptionId]);
    ensureValid(validateSubscriptionRequest(request));
    const response = await this.call('workflows.updateSubscription', 'PUT', 'v2', ['workflows', workflowId, 'subscriptions', subscriptionId], {
      body: subscriptionBody(request),
      signal,
    });
    return isRecord(response.body) ? parseWorkflowSubscription(response.body) : undefined;
  }

  /** 204. */
  async deleteSubscription(workflowId: string, subscriptionId: string, signal?: AbortSignal): Promise<void> {
    this.checkIds(['workflow id', workflowId], ['subscription id', subscriptionId]);
    await this.call('workflows.deleteSubscription', 'DELETE', 'v2', ['workflows', workflowId, 'subscriptions', subscriptionId], { signal });
  }
}

function subscriptionBody(request: WorkflowSubscriptionRequest): JsonObject {
  const body: JsonObject = { topic_urns: [...request.topic_urns] };
  if (request.entity !== undefined) body.entity = request.entity;
  if (request.events !== undefined) body.events = [...request.events];
  return body;
}
