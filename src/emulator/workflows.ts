import {
  newUuid,
  queryValue,
  rfc3339China,
  type EmuRequest,
  type EmuResponse,
  type FamilyOptions,
  type JsonObject,
  type ResourceFamily,
  type Router,
} from './framework';
import { TimerQueue, cloneJson, compareValues, isObject, stableUuid, stringAt } from './familyKit';
import {
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  WORKFLOW_NAME_RE,
  bodyObject,
  executionNotFound,
  intQuery,
  invalid,
  mergeValues,
  objectArray,
  orderQuery,
  page,
  stringArray,
  subscriptionEntity,
  subscriptionEvents,
  subscriptionNotFound,
  topicUrns,
  validateSteps,
  workflowNotFound,
} from './workflowsParams';
import {
  CONTINUABLE,
  ExecutionRunner,
  FINAL_STEP,
  RETRYABLE,
  STOPPABLE,
  WORKFLOW_TIMINGS,
  type ExecutionRecord,
  type StepRecord,
  type WorkflowRecord,
} from './workflowsRun';
import { seedWorkflows } from './workflowsSeed';

// The workflow family (workflows v2): workflows, executions, step executions, their actions and
// subscriptions. An execution runs its steps in DAG order on the emulated clock; every step transition
// appends an event string to the step and to the execution (the machine itself is in workflowsRun.ts).

export { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from './workflowsParams';
export { WORKFLOW_TIMINGS } from './workflowsRun';

export type StepStatus =
  | 'init'
  | 'wait_inputs'
  | 'pending'
  | 'creating'
  | 'created'
  | 'create_failed'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'timeout'
  | 'completed'
  | 'failed'
  | 'hold'
  | 'skipped';

export type ExecutionStatus = 'init' | 'running' | 'completed' | 'stopped' | 'abnormal';

export interface StepDoc {
  created_at: string;
  uuid: string;
  instance_id?: unknown;
  step_name: string;
  step_title: string;
  status: StepStatus;
  duration: number;
  inputs?: unknown[];
  outputs?: unknown[];
  properties?: JsonObject;
  events: string[];
  policy: JsonObject;
  error_info?: { error_code: string; error_message: string };
}

export interface ExecutionDoc {
  created_at: string;
  name: string;
  execution_id: string;
  description: string;
  status: ExecutionStatus;
  workspace_id: string;
  workflow_id: string;
  workflow_name: string;
  steps_execution: StepDoc[];
  duration: number;
  events: string[];
  data_requirements: JsonObject[];
  parameters: JsonObject[];
  policies: JsonObject;
  labels?: string[];
}

export interface WorkflowDoc {
  workflow_id: string;
  name: string;
  description: string;
  created_at: string;
  last_modified_at: string;
  user_name: string;
  workspace_id: string;
  steps: JsonObject[];
  data_requirements: JsonObject[];
  data: JsonObject[];
  parameters: JsonObject[];
  labels: string[];
  storages: JsonObject[];
  sub_graphs: JsonObject[];
  latest_execution?: JsonObject;
  run_count: number;
  param_ready: boolean;
  with_subscription: boolean;
  smn_switch: boolean;
  subscription_id?: string;
}

export interface SubscriptionDoc {
  created_at: string;
  subscription_id: string;
  topic_urns: string[];
  entity: string;
  events: string[];
}

/** What a seed asks for when it runs an execution through the state machine. */
export interface SeedRun {
  name: string;
  createdMs: number;
  /** Steps that fail, with the number of attempts that fail. */
  failures?: Record<string, number>;
  /** Per-step run time overrides (ms). */
  runMs?: Record<string, number>;
  /** Stops the execution at this time. */
  stopAt?: number;
  /** How long the execution stays `init` (default WORKFLOW_TIMINGS.startMs). */
  startDelayMs?: number;
  parameters?: JsonObject[];
}

/** A fixture execution: its doc as given, plus the hidden steps that have not started yet. */
export interface SeedFixtureExecution {
  doc: ExecutionDoc;
  createdMs: number;
  /** Steps not listed in the doc (status `init`), by step name and uuid. */
  hiddenSteps?: Array<{ name: string; uuid: string; createdAt: string }>;
}

/** The seed's view of the family. */
export interface WorkflowsSeedTarget {
  seedWorkflow(doc: WorkflowDoc, createdMs: number): void;
  seedRun(workflowId: string, run: SeedRun): void;
  seedFixtureExecution(workflowId: string, input: SeedFixtureExecution, now: number): void;
  seedSubscription(workflowId: string, doc: SubscriptionDoc): void;
  runDue(now: number): void;
  /** Ids of objects created while seeding are stable; after this call they are random. */
  endSeeding(): void;
}

export interface WorkflowsFamily extends ResourceFamily {
  /** The step `stepName` of that execution fails its next `times` attempts. */
  failStep(executionId: string, stepName: string, times?: number): void;
  /** The execution doc as the API would show it now, or undefined. */
  getExecution(executionId: string): ExecutionDoc | undefined;
  /** Number of workflows. */
  workflowCount(): number;
}

class WorkflowsFamilyImpl implements WorkflowsFamily, WorkflowsSeedTarget {
  private readonly timers = new TimerQueue();
  private readonly runner = new ExecutionRunner(this.timers);
  private readonly workflows = new Map<string, WorkflowRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private seq = 0;
  private seeding = true;
  private seedIds = 0;

  constructor(private readonly opts: FamilyOptions) {
    seedWorkflows(this, opts);
    this.endSeeding();
  }

  // ---- ResourceFamily ----

  register(router: Router): void {
    const base = '/v2/{project_id}/workflows';
    const wf = `${base}/{workflow_id}`;
    const ex = `${wf}/executions/{execution_id}`;
    const sub = `${wf}/subscriptions/{subscription_id}`;
    router.add('GET', base, (r) => this.listWorkflows(r));
    router.add('POST', base, (r) => this.createWorkflow(r));
    router.add('GET', wf, (r) => ({ status: 200, body: this.viewWorkflow(this.workflowFor(r), r.now) }));
    router.add('PUT', wf, (r) => this.updateWorkflow(r));
    router.add('DELETE', wf, (r) => this.deleteWorkflow(r));
    router.add('GET', `${wf}/executions`, (r) => this.listExecutions(r));
    router.add('POST', `${wf}/executions`, (r) => this.createExecution(r));
    router.add('GET', ex, (r) => ({ status: 200, body: this.runner.viewExecution(this.executionFor(r), r.now) }));
    router.add('PUT', ex, (r) => this.updateExecution(r));
    router.add('DELETE', ex, (r) => this.deleteExecution(r));
    router.add('POST', `${ex}/actions`, (r) => this.executionAction(r));
    for (const segment of ['step-executions', 'step_executions']) {
      router.add('POST', `${ex}/${segment}/{step_execution_id}/actions`, (r) => this.stepAction(r));
    }
    router.add('GET', `${wf}/step-executions`, (r) => this.listStepExecutions(r));
    router.add('POST', `${wf}/subscriptions`, (r) => this.createSubscription(r));
    router.add('GET', sub, (r) => ({ status: 200, body: this.subscriptionFor(r).doc }));
    router.add('PUT', sub, (r) => this.updateSubscription(r));
    router.add('DELETE', sub, (r) => this.deleteSubscription(r));
  }

  advance(now: number): void {
    this.timers.runDue(now);
  }

  // ---- test helpers ----

  failStep(executionId: string, stepName: string, times = 1): void {
    const ex = this.executions.get(executionId);
    const step = ex?.steps.find((s) => s.name === stepName);
    if (!step) throw new Error(`no step ${stepName} in execution ${executionId}`);
    step.failuresLeft = times;
  }

  getExecution(executionId: string): ExecutionDoc | undefined {
    const now = this.opts.clock.now();
    this.timers.runDue(now);
    const ex = this.executions.get(executionId);
    return ex ? cloneJson(this.runner.viewExecution(ex, now)) : undefined;
  }

  workflowCount(): number {
    return this.workflows.size;
  }

  // ---- seeding ----

  seedWorkflow(doc: WorkflowDoc, createdMs: number): void {
    this.addWorkflow(cloneJson(doc), createdMs);
  }

  seedRun(workflowId: string, run: SeedRun): void {
    const wf = this.mustWorkflow(workflowId);
    const ex = this.newExecution(wf, { name: run.name }, run.createdMs, run.startDelayMs ?? WORKFLOW_TIMINGS.startMs);
    if (run.parameters) mergeValues(ex.doc.parameters, run.parameters, 'parameters');
    for (const step of ex.steps) {
      step.failuresLeft = run.failures?.[step.name] ?? 0;
      step.runMs = run.runMs?.[step.name] ?? step.runMs;
    }
    if (run.stopAt !== undefined) {
      this.timers.schedule(run.stopAt, (at) => {
        if (ex.doc.status === 'init' || ex.doc.status === 'running') this.runner.stopExecution(ex, at);
      });
    }
  }

  seedFixtureExecution(workflowId: string, input: SeedFixtureExecution, now: number): void {
    const wf = this.mustWorkflow(workflowId);
    const doc = cloneJson(input.doc);
    const ex: ExecutionRecord = {
      doc,
      workflow: wf,
      steps: [],
      createdMs: input.createdMs,
      seq: this.seq++,
      durationBase: doc.duration,
      stopRequested: false,
      ...(doc.status === 'running' || doc.status === 'init' ? { anchor: now } : {}),
    };
    for (const def of wf.doc.steps) {
      const name = String(def.name);
      const shown = doc.steps_execution.find((s) => s.step_name === name);
      const hidden = input.hiddenSteps?.find((h) => h.name === name);
      if (!shown && !hidden) continue;
      const stepDoc: StepDoc = shown ?? this.runner.newStepDoc(def, hidden?.uuid ?? this.id(), hidden?.createdAt ?? doc.created_at);
      const active = !FINAL_STEP.has(stepDoc.status) && stepDoc.status !== 'init';
      ex.steps.push({
        doc: stepDoc,
        name,
        type: stringAt(def, 'type') ?? 'job',
        depends: Array.isArray(def.depend_steps) ? (def.depend_steps as string[]) : [],
        runMs: WORKFLOW_TIMINGS.runMs[stringAt(def, 'type') ?? ''] ?? WORKFLOW_TIMINGS.runMs.default,
        failuresLeft: 0,
        durationBase: stepDoc.duration,
        shown: Boolean(shown),
        ...(active ? { anchor: now } : {}),
      });
    }
    wf.executions.push(ex);
    this.executions.set(doc.execution_id, ex);
  }

  seedSubscription(workflowId: string, doc: SubscriptionDoc): void {
    const wf = this.mustWorkflow(workflowId);
    wf.subscriptions.set(doc.subscription_id, cloneJson(doc));
    wf.doc.with_subscription = true;
    wf.doc.smn_switch = true;
    wf.doc.subscription_id = doc.subscription_id;
  }

  runDue(now: number): void {
    this.timers.runDue(now);
  }

  endSeeding(): void {
    this.seeding = false;
  }

  // ---- workflows ----

  private listWorkflows(request: EmuRequest): EmuResponse {
    const limit = intQuery(request, 'limit', LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT);
    const offset = intQuery(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const order = orderQuery(request);
    const sortBy = queryValue(request, 'sort_by') || 'create_time';
    if (sortBy !== 'create_time' && sortBy !== 'created_at' && sortBy !== 'name') {
      throw invalid(`Invalid sort_by: ${sortBy}; expected create_time or name.`);
    }
    const name = queryValue(request, 'name') || undefined;
    const searchType = queryValue(request, 'search_type') || 'contain';
    if (searchType !== 'equal' && searchType !== 'contain') throw invalid(`Invalid search_type: ${searchType}; expected equal or contain.`);
    const description = queryValue(request, 'description') || undefined;
    const status = queryValue(request, 'status') || undefined;
    const workspaceId = queryValue(request, 'workspace_id') || undefined;
    const label = queryValue(request, 'labels') || undefined;
    const matches = [...this.workflows.values()].filter((wf) => {
      const doc = wf.doc;
      if (workspaceId !== undefined && doc.workspace_id !== workspaceId) return false;
      if (name !== undefined && (searchType === 'equal' ? doc.name !== name : !doc.name.toLowerCase().includes(name.toLowerCase()))) return false;
      if (description !== undefined && !doc.description.toLowerCase().includes(description.toLowerCase())) return false;
      if (label !== undefined && !doc.labels.includes(label)) return false;
      if (status !== undefined && this.workflowStatus(wf) !== status) return false;
      return true;
    });
    const sign = order === 'asc' ? 1 : -1;
    matches.sort((a, b) => sign * (sortBy === 'name' ? compareValues(a.doc.name, b.doc.name) : a.createdMs - b.createdMs || a.seq - b.seq));
    const items = page(matches, offset, limit).map((wf) => this.viewWorkflow(wf, request.now));
    return { status: 200, body: { total: matches.length, count: items.length, items } };
  }

  private createWorkflow(request: EmuRequest): EmuResponse {
    const body = bodyObject(request);
    const created = rfc3339China(request.now);
    const doc: WorkflowDoc = {
      workflow_id: this.id(),
      name: '',
      description: '',
      created_at: created,
      last_modified_at: created,
      user_name: this.opts.userName,
      workspace_id: '0',
      steps: [],
      data_requirements: [],
      data: [],
      parameters: [],
      labels: [],
      storages: [],
      sub_graphs: [],
      run_count: 0,
      param_ready: true,
      with_subscription: false,
      smn_switch: false,
    };
    this.applyWorkflowFields(doc, body, true);
    const wf = this.addWorkflow(doc, request.now);
    return { status: 201, body: this.viewWorkflow(wf, request.now) };
  }

  private updateWorkflow(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    const body = bodyObject(request);
    const copy = cloneJson(wf.doc);
    this.applyWorkflowFields(copy, body, false);
    copy.last_modified_at = rfc3339China(request.now);
    wf.doc = copy;
    return { status: 200, body: this.viewWorkflow(wf, request.now) };
  }

  private deleteWorkflow(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    for (const ex of wf.executions) this.dropExecution(ex);
    this.workflows.delete(wf.doc.workflow_id);
    return { status: 204 };
  }

  /** Validates and copies the writable workflow fields (all of them on create, those present on update). */
  private applyWorkflowFields(doc: WorkflowDoc, body: Record<string, unknown>, creating: boolean): void {
    if (creating || body.name !== undefined) {
      const name = body.name;
      if (typeof name !== 'string' || !WORKFLOW_NAME_RE.test(name)) {
        throw invalid('Invalid name: required, 1 to 64 characters starting with a letter or CJK character: letters, digits, CJK characters, - and _.');
      }
      const workspaceId = typeof body.workspace_id === 'string' && body.workspace_id !== '' ? body.workspace_id : doc.workspace_id;
      const taken = [...this.workflows.values()].some(
        (w) => w.doc.workflow_id !== doc.workflow_id && w.doc.workspace_id === workspaceId && w.doc.name === name,
      );
      if (taken) throw invalid(`Invalid name: a workflow named ${name} already exists in workspace ${workspaceId}.`);
      doc.name = name;
    }
    if (body.description !== undefined) {
      if (typeof body.description !== 'string' || body.description.length > 256) throw invalid('Invalid description: at most 256 characters.');
      doc.description = body.description;
    }
    if (creating && body.workspace_id !== undefined) {
      if (typeof body.workspace_id !== 'string' || !/^(0|[0-9a-f]{32})$/.test(body.workspace_id)) {
        throw invalid('Invalid workspace_id: "0" or a 32-character workspace id.');
      }
      doc.workspace_id = body.workspace_id;
    }
    if (body.steps !== undefined) doc.steps = validateSteps(body.steps);
    if (body.data_requirements !== undefined) doc.data_requirements = objectArray(body.data_requirements, 'data_requirements');
    if (body.parameters !== undefined) doc.parameters = objectArray(body.parameters, 'parameters');
    if (body.data !== undefined) doc.data = objectArray(body.data, 'data');
    if (body.storages !== undefined) doc.storages = objectArray(body.storages, 'storages');
    if (body.sub_graphs !== undefined) doc.sub_graphs = objectArray(body.sub_graphs, 'sub_graphs');
    if (body.labels !== undefined) doc.labels = [...stringArray(body.labels, 'labels')];
  }

  // ---- executions ----

  private listExecutions(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    const limit = intQuery(request, 'limit', LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT);
    const offset = intQuery(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const order = orderQuery(request);
    const sortBy = queryValue(request, 'sort_by') || 'create_time';
    if (!['create_time', 'created_at', 'name', 'status', 'duration'].includes(sortBy)) {
      throw invalid(`Invalid sort_by: ${sortBy}; expected create_time, name, status or duration.`);
    }
    const status = queryValue(request, 'status') || undefined;
    const workspaceId = queryValue(request, 'workspace_id') || undefined;
    const label = queryValue(request, 'labels') || undefined;
    const now = request.now;
    const matches = wf.executions.filter(
      (ex) =>
        (status === undefined || ex.doc.status === status) &&
        (workspaceId === undefined || ex.doc.workspace_id === workspaceId) &&
        (label === undefined || (ex.doc.labels ?? []).includes(label)),
    );
    const key = (ex: ExecutionRecord): string | number =>
      sortBy === 'name' ? ex.doc.name : sortBy === 'status' ? ex.doc.status : sortBy === 'duration' ? this.runner.viewExecution(ex, now).duration : ex.createdMs;
    const sign = order === 'asc' ? 1 : -1;
    matches.sort((a, b) => sign * (compareValues(key(a), key(b)) || a.seq - b.seq));
    const items = page(matches, offset, limit).map((ex) => this.runner.viewExecution(ex, now));
    return { status: 200, body: { total: matches.length, count: items.length, items } };
  }

  private createExecution(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    const body = bodyObject(request, true);
    if (wf.doc.steps.length === 0) throw invalid(`Workflow ${wf.doc.workflow_id} has no steps to run.`);
    if (body.name !== undefined && (typeof body.name !== 'string' || body.name.length === 0 || body.name.length > 64)) {
      throw invalid('Invalid name: 1 to 64 characters.');
    }
    if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 256)) {
      throw invalid('Invalid description: at most 256 characters.');
    }
    const labels = body.labels === undefined ? undefined : stringArray(body.labels, 'labels');
    const ex = this.newExecution(wf, body, request.now, WORKFLOW_TIMINGS.startMs);
    mergeValues(ex.doc.parameters, body.parameters, 'parameters');
    mergeValues(ex.doc.data_requirements, body.data_requirements, 'data_requirements');
    if (labels) ex.doc.labels = [...labels];
    if (isObject(body.policies)) ex.doc.policies = cloneJson(body.policies);
    return { status: 201, body: this.runner.viewExecution(ex, request.now) };
  }

  private updateExecution(request: EmuRequest): EmuResponse {
    const ex = this.executionFor(request);
    const body = bodyObject(request);
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || body.name.length === 0 || body.name.length > 64) throw invalid('Invalid name: 1 to 64 characters.');
      ex.doc.name = body.name;
    }
    if (body.description !== undefined) {
      if (typeof body.description !== 'string' || body.description.length > 256) throw invalid('Invalid description: at most 256 characters.');
      ex.doc.description = body.description;
    }
    if (body.labels !== undefined) ex.doc.labels = [...stringArray(body.labels, 'labels')];
    return { status: 200, body: this.runner.viewExecution(ex, request.now) };
  }

  private deleteExecution(request: EmuRequest): EmuResponse {
    const ex = this.executionFor(request);
    if (ex.doc.status === 'init' || ex.doc.status === 'running') {
      throw invalid(`Execution ${ex.doc.name} is ${ex.doc.status}; stop it before deleting it.`);
    }
    this.dropExecution(ex);
    return { status: 204 };
  }

  private executionAction(request: EmuRequest): EmuResponse {
    const ex = this.executionFor(request);
    const body = bodyObject(request);
    const action = body.action_name;
    const status = ex.doc.status;
    if (action === 'stop') {
      if (status !== 'init' && status !== 'running') {
        throw invalid(`Execution ${ex.doc.name} is ${status}; only an init or running execution can be stopped.`);
      }
      this.runner.stopExecution(ex, request.now);
    } else if (action === 'rerun') {
      if (status !== 'completed' && status !== 'stopped' && status !== 'abnormal') {
        throw invalid(`Execution ${ex.doc.name} is ${status}; only a completed, stopped or abnormal execution can be rerun.`);
      }
      const policies = isObject(body.policies) ? body.policies : {};
      const rerunSteps = policies.rerun_steps === undefined || policies.rerun_steps === null ? [] : stringArray(policies.rerun_steps, 'policies.rerun_steps');
      for (const name of rerunSteps) {
        if (!ex.steps.some((s) => s.name === name)) throw invalid(`Invalid policies.rerun_steps: step ${name} is not in execution ${ex.doc.name}.`);
      }
      mergeValues(ex.doc.parameters, body.parameters, 'parameters');
      mergeValues(ex.doc.data_requirements, body.data_requirements, 'data_requirements');
      this.runner.rerun(ex, rerunSteps, request.now);
    } else {
      throw invalid(`Invalid action_name: ${JSON.stringify(action ?? null)}; expected stop or rerun.`);
    }
    return { status: 201, body: this.runner.viewExecution(ex, request.now) };
  }

  private stepAction(request: EmuRequest): EmuResponse {
    const ex = this.executionFor(request);
    const id = request.params.step_execution_id;
    const step = ex.steps.find((s) => s.doc.uuid === id);
    if (!step) throw invalid(`Step execution ${id} does not exist in execution ${ex.doc.execution_id}.`);
    const body = bodyObject(request);
    const action = body.action_name;
    const status = step.doc.status;
    const now = request.now;
    if (action === 'retry') {
      if (!RETRYABLE.has(status)) throw invalid(`Step ${step.name} is ${status}; only a failed, stopped, timeout or create_failed step can be retried.`);
      mergeValues(ex.doc.parameters, body.parameters, 'parameters');
      mergeValues(ex.doc.data_requirements, body.data_requirements, 'data_requirements');
      this.runner.resetStep(ex, step, now);
      this.runner.resume(ex, now);
    } else if (action === 'stop') {
      if (!STOPPABLE.has(status)) throw invalid(`Step ${step.name} is ${status}; only an init, pending, creating, created, running, wait_inputs or hold step can be stopped.`);
      this.runner.stopStep(ex, step, now);
      this.runner.settle(ex, now);
    } else if (action === 'continue') {
      if (!CONTINUABLE.has(status)) throw invalid(`Step ${step.name} is ${status}; only a wait_inputs or hold step can be continued.`);
      mergeValues(ex.doc.parameters, body.parameters, 'parameters');
      mergeValues(ex.doc.data_requirements, body.data_requirements, 'data_requirements');
      if (status === 'wait_inputs') this.runner.beginCreating(ex, step, now);
      else this.runner.beginRunning(ex, step, now);
    } else {
      throw invalid(`Invalid action_name: ${JSON.stringify(action ?? null)}; expected retry, stop or continue.`);
    }
    this.runner.viewExecution(ex, now);
    return { status: 201, body: step.doc };
  }

  private listStepExecutions(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    const limit = intQuery(request, 'limit', LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT);
    const offset = intQuery(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const order = orderQuery(request);
    const sortBy = queryValue(request, 'sort_by') || 'create_time';
    if (!['create_time', 'created_at', 'step_name', 'status', 'duration'].includes(sortBy)) {
      throw invalid(`Invalid sort_by: ${sortBy}; expected create_time, step_name, status or duration.`);
    }
    const now = request.now;
    const rows: Array<{ ex: ExecutionRecord; step: StepRecord; n: number }> = [];
    let n = 0;
    for (const ex of wf.executions) {
      this.runner.viewExecution(ex, now);
      for (const step of ex.steps) rows.push({ ex, step, n: n++ });
    }
    const key = (r: (typeof rows)[number]): string | number =>
      sortBy === 'step_name' ? r.step.name : sortBy === 'status' ? r.step.doc.status : sortBy === 'duration' ? r.step.doc.duration : r.step.doc.created_at || r.ex.doc.created_at;
    const sign = order === 'asc' ? 1 : -1;
    rows.sort((a, b) => sign * (compareValues(key(a), key(b)) || a.n - b.n));
    const items = page(rows, offset, limit).map((r) => ({ ...r.step.doc, execution_uuid: r.ex.doc.execution_id, execution_name: r.ex.doc.name }));
    return { status: 200, body: { total: rows.length, count: items.length, items } };
  }

  // ---- subscriptions ----

  private createSubscription(request: EmuRequest): EmuResponse {
    const wf = this.workflowFor(request);
    const body = bodyObject(request);
    const doc: SubscriptionDoc = {
      created_at: rfc3339China(request.now),
      subscription_id: this.id(),
      topic_urns: topicUrns(body.topic_urns),
      entity: subscriptionEntity(body.entity, wf.doc.workflow_id),
      events: body.events === undefined ? [] : subscriptionEvents(body.events),
    };
    wf.subscriptions.set(doc.subscription_id, doc);
    wf.doc.with_subscription = true;
    wf.doc.smn_switch = true;
    wf.doc.subscription_id = doc.subscription_id;
    return { status: 201, body: doc };
  }

  private updateSubscription(request: EmuRequest): EmuResponse {
    const { doc } = this.subscriptionFor(request);
    const body = bodyObject(request);
    // Everything is checked before anything changes.
    const urns = body.topic_urns === undefined ? doc.topic_urns : topicUrns(body.topic_urns);
    const entity = body.entity === undefined ? doc.entity : subscriptionEntity(body.entity, doc.entity);
    const events = body.events === undefined ? doc.events : subscriptionEvents(body.events);
    doc.topic_urns = urns;
    doc.entity = entity;
    doc.events = events;
    return { status: 200, body: doc };
  }

  private deleteSubscription(request: EmuRequest): EmuResponse {
    const { wf, doc } = this.subscriptionFor(request);
    wf.subscriptions.delete(doc.subscription_id);
    if (wf.doc.subscription_id === doc.subscription_id) {
      const next = [...wf.subscriptions.keys()].pop();
      if (next) wf.doc.subscription_id = next;
      else delete wf.doc.subscription_id;
    }
    wf.doc.with_subscription = wf.subscriptions.size > 0;
    wf.doc.smn_switch = wf.subscriptions.size > 0;
    return { status: 204 };
  }

  // ---- state machine ----

  private newExecution(wf: WorkflowRecord, body: Record<string, unknown>, now: number, startDelayMs: number): ExecutionRecord {
    wf.doc.run_count += 1;
    const created = rfc3339China(now);
    const name = typeof body.name === 'string' ? body.name : `execution-${String(wf.doc.run_count).padStart(3, '0')}`;
    const doc: ExecutionDoc = {
      created_at: created,
      name,
      execution_id: this.id(),
      description: typeof body.description === 'string' ? body.description : '',
      status: 'init',
      workspace_id: wf.doc.workspace_id,
      workflow_id: wf.doc.workflow_id,
      workflow_name: wf.doc.name,
      steps_execution: [],
      duration: 0,
      events: [],
      data_requirements: cloneJson(wf.doc.data_requirements),
      parameters: cloneJson(wf.doc.parameters),
      policies: {},
    };
    const ex: ExecutionRecord = { doc, workflow: wf, steps: [], createdMs: now, seq: this.seq++, durationBase: 0, anchor: now, stopRequested: false };
    for (const def of wf.doc.steps) {
      const type = stringAt(def, 'type') ?? 'job';
      ex.steps.push({
        doc: this.runner.newStepDoc(def, this.id(), created),
        name: String(def.name),
        type,
        depends: Array.isArray(def.depend_steps) ? (def.depend_steps as string[]) : [],
        runMs: WORKFLOW_TIMINGS.runMs[type] ?? WORKFLOW_TIMINGS.runMs.default,
        failuresLeft: 0,
        durationBase: 0,
        shown: false,
      });
    }
    wf.executions.push(ex);
    this.executions.set(doc.execution_id, ex);
    this.runner.scheduleStart(ex, now + startDelayMs);
    return ex;
  }

  // ---- views and lookups ----

  private viewWorkflow(wf: WorkflowRecord, now: number): WorkflowDoc {
    const latest = wf.executions.reduce<ExecutionRecord | undefined>((a, b) => (!a || b.createdMs > a.createdMs || (b.createdMs === a.createdMs && b.seq > a.seq) ? b : a), undefined);
    if (latest) {
      const doc = this.runner.viewExecution(latest, now);
      wf.doc.latest_execution = {
        execution_id: doc.execution_id,
        created_at: doc.created_at,
        status: doc.status,
        running_steps: latest.steps.filter((s) => s.doc.status === 'running').map((s) => s.name),
        current_steps: latest.steps.filter((s) => !FINAL_STEP.has(s.doc.status) && s.doc.status !== 'init').map((s) => s.name),
        duration: doc.duration,
      };
    } else {
      delete wf.doc.latest_execution;
    }
    return wf.doc;
  }

  /** The list filter's status: the latest execution's, or never_executed. */
  private workflowStatus(wf: WorkflowRecord): string {
    const latest = wf.executions.reduce<ExecutionRecord | undefined>((a, b) => (!a || b.createdMs >= a.createdMs ? b : a), undefined);
    return latest ? latest.doc.status : 'never_executed';
  }

  private addWorkflow(doc: WorkflowDoc, createdMs: number): WorkflowRecord {
    const wf: WorkflowRecord = { doc, createdMs, seq: this.seq++, executions: [], subscriptions: new Map() };
    this.workflows.set(doc.workflow_id, wf);
    return wf;
  }

  private dropExecution(ex: ExecutionRecord): void {
    if (ex.timer) ex.timer.cancelled = true;
    for (const step of ex.steps) if (step.timer) step.timer.cancelled = true;
    this.executions.delete(ex.doc.execution_id);
    const list = ex.workflow.executions;
    const i = list.indexOf(ex);
    if (i >= 0) list.splice(i, 1);
  }

  private id(): string {
    return this.seeding ? stableUuid(`workflow-seed/${this.seedIds++}`) : newUuid();
  }

  private mustWorkflow(id: string): WorkflowRecord {
    const wf = this.workflows.get(id);
    if (!wf) throw new Error(`no workflow ${id}`);
    return wf;
  }

  private workflowFor(request: EmuRequest): WorkflowRecord {
    const id = request.params.workflow_id;
    const wf = this.workflows.get(id);
    if (!wf) throw workflowNotFound(id);
    return wf;
  }

  private executionFor(request: EmuRequest): ExecutionRecord {
    const wf = this.workflowFor(request);
    const id = request.params.execution_id;
    const ex = this.executions.get(id);
    if (!ex || ex.workflow !== wf) throw executionNotFound(id);
    return ex;
  }

  private subscriptionFor(request: EmuRequest): { wf: WorkflowRecord; doc: SubscriptionDoc } {
    const wf = this.workflowFor(request);
    const id = request.params.subscription_id;
    const doc = wf.subscriptions.get(id);
    if (!doc) throw subscriptionNotFound(id);
    return { wf, doc };
  }
}

export function createWorkflowsFamily(opts: FamilyOptions): WorkflowsFamily {
  return new WorkflowsFamilyImpl(opts);
}
