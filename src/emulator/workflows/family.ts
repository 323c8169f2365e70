import { queryValue, rfc3339China, type EmuRequest, type EmuResponse, type FamilyOptions, type Router } from '../framework';
import { cloneJson, compareValues, isObject } from '../familyKit';
import {
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  WORKFLOW_NAME_RE,
  bodyObject,
  intQuery,
  invalid,
  mergeValues,
  objectArray,
  orderQuery,
  page,
  stringArray,
  subscriptionEntity,
  subscriptionEvents,
  topicUrns,
  validateSteps,
} from './params';
import type { ExecutionDoc, SubscriptionDoc, WorkflowDoc, WorkflowsFamily } from './records';
import { CONTINUABLE, RETRYABLE, STOPPABLE, WORKFLOW_TIMINGS, type ExecutionRecord, type StepRecord } from './run';
import { seedWorkflows } from './seed';
import { WorkflowsStore } from './store';

// The workflow family (workflows v2): workflows, executions, step executions, their actions and
// subscriptions. An execution runs its steps in DAG order on the emulated clock; every step transition
// appends an event string to the step and to the execution (the machine itself is in run.ts).

export class WorkflowsFamilyImpl extends WorkflowsStore implements WorkflowsFamily {
  constructor(opts: FamilyOptions) {
    super(opts);
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
}

export function createWorkflowsFamily(opts: FamilyOptions): WorkflowsFamily {
  return new WorkflowsFamilyImpl(opts);
}
