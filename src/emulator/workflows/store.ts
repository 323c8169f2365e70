import { newUuid, rfc3339China, type EmuRequest, type FamilyOptions } from '../framework';
import { TimerQueue, cloneJson, stableUuid, stringAt } from '../familyKit';
import { executionNotFound, mergeValues, subscriptionNotFound, workflowNotFound } from './params';
import type { ExecutionDoc, SeedFixtureExecution, SeedRun, StepDoc, SubscriptionDoc, WorkflowDoc, WorkflowsSeedTarget } from './records';
import { ExecutionRunner, FINAL_STEP, WORKFLOW_TIMINGS, type ExecutionRecord, type WorkflowRecord } from './run';

// Workflows and their executions as the family stores them: seeding, new executions started on the runner
// (run.ts, the state machine), the views shown in answers and the lookups that fail with the documented codes.
// The routes (family.ts) build on it.

export abstract class WorkflowsStore implements WorkflowsSeedTarget {
  protected readonly timers = new TimerQueue();
  protected readonly runner = new ExecutionRunner(this.timers);
  protected readonly workflows = new Map<string, WorkflowRecord>();
  protected readonly executions = new Map<string, ExecutionRecord>();
  private seq = 0;
  private seeding = true;
  private seedIds = 0;

  constructor(protected readonly opts: FamilyOptions) {}

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

  // ---- state machine ----

  protected newExecution(wf: WorkflowRecord, body: Record<string, unknown>, now: number, startDelayMs: number): ExecutionRecord {
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

  protected viewWorkflow(wf: WorkflowRecord, now: number): WorkflowDoc {
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
  protected workflowStatus(wf: WorkflowRecord): string {
    const latest = wf.executions.reduce<ExecutionRecord | undefined>((a, b) => (!a || b.createdMs >= a.createdMs ? b : a), undefined);
    return latest ? latest.doc.status : 'never_executed';
  }

  protected addWorkflow(doc: WorkflowDoc, createdMs: number): WorkflowRecord {
    const wf: WorkflowRecord = { doc, createdMs, seq: this.seq++, executions: [], subscriptions: new Map() };
    this.workflows.set(doc.workflow_id, wf);
    return wf;
  }

  protected dropExecution(ex: ExecutionRecord): void {
    if (ex.timer) ex.timer.cancelled = true;
    for (const step of ex.steps) if (step.timer) step.timer.cancelled = true;
    this.executions.delete(ex.doc.execution_id);
    const list = ex.workflow.executions;
    const i = list.indexOf(ex);
    if (i >= 0) list.splice(i, 1);
  }

  protected id(): string {
    return this.seeding ? stableUuid(`workflow-seed/${this.seedIds++}`) : newUuid();
  }

  protected mustWorkflow(id: string): WorkflowRecord {
    const wf = this.workflows.get(id);
    if (!wf) throw new Error(`no workflow ${id}`);
    return wf;
  }

  protected workflowFor(request: EmuRequest): WorkflowRecord {
    const id = request.params.workflow_id;
    const wf = this.workflows.get(id);
    if (!wf) throw workflowNotFound(id);
    return wf;
  }

  protected executionFor(request: EmuRequest): ExecutionRecord {
    const wf = this.workflowFor(request);
    const id = request.params.execution_id;
    const ex = this.executions.get(id);
    if (!ex || ex.workflow !== wf) throw executionNotFound(id);
    return ex;
  }

  protected subscriptionFor(request: EmuRequest): { wf: WorkflowRecord; doc: SubscriptionDoc } {
    const wf = this.workflowFor(request);
    const id = request.params.subscription_id;
    const doc = wf.subscriptions.get(id);
    if (!doc) throw subscriptionNotFound(id);
    return { wf, doc };
  }
}
