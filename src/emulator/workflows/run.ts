import { cloneJson, isObject, stableUuid, stringAt, type TimerHandle, type TimerQueue } from '../familyKit';
import { eventTimeChina, rfc3339China, type EmuJsonObject } from '../framework';
import type { ExecutionDoc, StepDoc, EmuStepStatus, SubscriptionDoc, WorkflowDoc } from './records';

// The execution state machine: steps start in DAG order once their upstream steps are done, wait for
// delayed inputs, go creating -> created -> running -> completed | failed on the clock, can be stopped,
// retried, continued and rerun; every step transition appends an event string to the step and to its
// execution, and the execution ends completed, stopped or abnormal once no step is active.

/** Emulated durations of the workflow state machines, in ms. */
export const WORKFLOW_TIMINGS = {
  /** An execution stays `init` this long after it is created. */
  startMs: 1_000,
  creatingMs: 2_000,
  createdMs: 1_000,
  stoppingMs: 2_000,
  /** How long a step runs, by step type. */
  runMs: { job: 30_000, model: 12_000, service: 20_000, default: 8_000 } as Readonly<Record<string, number>>,
} as const;

export interface StepRecord {
  doc: StepDoc;
  name: string;
  type: string;
  depends: string[];
  runMs: number;
  /** Attempts still to fail (a failing attempt ends `failed` half way through its run). */
  failuresLeft: number;
  timer?: TimerHandle;
  /** Seconds counted before `anchor`; while the step is active its duration grows from `anchor`. */
  durationBase: number;
  anchor?: number;
  shown: boolean;
}

export interface ExecutionRecord {
  doc: ExecutionDoc;
  workflow: WorkflowRecord;
  steps: StepRecord[];
  createdMs: number;
  seq: number;
  durationBase: number;
  anchor?: number;
  stopRequested: boolean;
  timer?: TimerHandle;
}

export interface WorkflowRecord {
  doc: WorkflowDoc;
  createdMs: number;
  seq: number;
  executions: ExecutionRecord[];
  subscriptions: Map<string, SubscriptionDoc>;
}

export const FINAL_STEP: ReadonlySet<EmuStepStatus> = new Set(['completed', 'failed', 'stopped', 'timeout', 'create_failed', 'skipped']);
export const FAILED_STEP: ReadonlySet<EmuStepStatus> = new Set(['failed', 'timeout', 'create_failed']);
export const DONE_STEP: ReadonlySet<EmuStepStatus> = new Set(['completed', 'skipped']);
export const RETRYABLE: ReadonlySet<EmuStepStatus> = new Set(['failed', 'stopped', 'timeout', 'create_failed']);
// `init` is accepted too: the manual stops step 255a1079 of execution-005, which has not started there.
export const STOPPABLE: ReadonlySet<EmuStepStatus> = new Set(['init', 'running', 'pending', 'creating', 'created', 'wait_inputs', 'hold']);
export const CONTINUABLE: ReadonlySet<EmuStepStatus> = new Set(['wait_inputs', 'hold']);

export class ExecutionRunner {
  constructor(private readonly timers: TimerQueue) {}

  /** Moves an execution from `init` to `running` at `at` and starts its first steps. */
  scheduleStart(ex: ExecutionRecord, at: number): void {
    ex.timer = this.timers.schedule(at, (t) => {
      ex.timer = undefined;
      if (ex.doc.status !== 'init') return;
      ex.doc.status = 'running';
      this.pump(ex, t);
    });
  }

  newStepDoc(def: EmuJsonObject, uuid: string, createdAt: string): StepDoc {
    const name = String(def.name);
    return {
      created_at: createdAt,
      uuid,
      step_name: name,
      step_title: stringAt(def, 'title') ?? name,
      status: 'init',
      duration: 0,
      ...(Array.isArray(def.inputs) ? { inputs: cloneJson(def.inputs) as unknown[] } : {}),
      ...(Array.isArray(def.outputs) ? { outputs: cloneJson(def.outputs) as unknown[] } : {}),
      ...(isObject(def.properties) ? { properties: cloneJson(def.properties) } : {}),
      events: [],
      policy: {},
    };
  }

  /** Moves one step and records the event on the step and on its execution. */
  private transition(ex: ExecutionRecord, step: StepRecord, to: EmuStepStatus, at: number): void {
    const from = step.doc.status;
    const time = eventTimeChina(at);
    step.doc.status = to;
    step.doc.events.push(`${time} change status from ${from} to ${to}`);
    ex.doc.events.push(`${time} step ${step.name} change status from ${from} to ${to}`);
    if (from === 'init' && to !== 'init') {
      // A step's clock and its place in steps_execution start when it first leaves init.
      step.durationBase = 0;
      step.anchor = at;
      if (!step.shown) step.doc.created_at = rfc3339China(at);
    }
    if (!step.shown) {
      step.shown = true;
      ex.doc.steps_execution.push(step.doc);
    }
    if (FINAL_STEP.has(to) || to === 'init') this.freezeStep(step, at);
  }

  private freezeStep(step: StepRecord, at: number): void {
    if (step.anchor !== undefined) step.durationBase += Math.floor((at - step.anchor) / 1000);
    step.anchor = undefined;
    step.doc.duration = step.durationBase;
  }

  private stepTimer(step: StepRecord, at: number, run: (t: number) => void): void {
    if (step.timer) step.timer.cancelled = true;
    step.timer = this.timers.schedule(at, (t) => {
      step.timer = undefined;
      run(t);
    });
  }

  /** Starts every step whose upstream steps have completed, then settles the execution. */
  private pump(ex: ExecutionRecord, at: number): void {
    if (ex.doc.status === 'running' && !ex.stopRequested) {
      for (const step of ex.steps) {
        if (step.doc.status !== 'init') continue;
        const ready = step.depends.every((d) => {
          const dep = ex.steps.find((s) => s.name === d);
          return !dep || DONE_STEP.has(dep.doc.status);
        });
        if (!ready) continue;
        if (this.waitsForInput(ex, step)) this.transition(ex, step, 'wait_inputs', at);
        else this.beginCreating(ex, step, at);
      }
    }
    this.settle(ex, at);
  }

  /** A step waits for inputs when a delayed parameter or data requirement it uses has no value yet. */
  private waitsForInput(ex: ExecutionRecord, step: StepRecord): boolean {
    return [...ex.doc.parameters, ...ex.doc.data_requirements].some(
      (entry) =>
        entry.delay === true &&
        Array.isArray(entry.used_steps) &&
        (entry.used_steps as unknown[]).includes(step.name) &&
        (entry.value === undefined || entry.value === null),
    );
  }

  beginCreating(ex: ExecutionRecord, step: StepRecord, at: number): void {
    this.resolveInputs(ex, step);
    this.transition(ex, step, 'creating', at);
    this.stepTimer(step, at + WORKFLOW_TIMINGS.creatingMs, (t) => {
      this.setInstance(step);
      this.transition(ex, step, 'created', t);
      this.stepTimer(step, t + WORKFLOW_TIMINGS.createdMs, (t2) => this.beginRunning(ex, step, t2));
    });
  }

  beginRunning(ex: ExecutionRecord, step: StepRecord, at: number): void {
    this.transition(ex, step, 'running', at);
    const failing = step.failuresLeft > 0;
    const runFor = failing ? Math.floor(step.runMs / 2) : step.runMs;
    this.stepTimer(step, at + runFor, (t) => {
      if (failing) {
        step.failuresLeft -= 1;
        step.doc.error_info = {
          error_code: 'STEP_FAILED',
          error_message: `The ${step.type} of step ${step.name} failed: exit code 1. Check the logs of the step.`,
        };
        this.transition(ex, step, 'failed', t);
      } else {
        this.transition(ex, step, 'completed', t);
      }
      this.pump(ex, t);
    });
  }

  stopStep(ex: ExecutionRecord, step: StepRecord, at: number): void {
    const status = step.doc.status;
    if (status === 'creating' || status === 'created' || status === 'running') {
      this.transition(ex, step, 'stopping', at);
      this.stepTimer(step, at + WORKFLOW_TIMINGS.stoppingMs, (t) => {
        this.transition(ex, step, 'stopped', t);
        this.settle(ex, t);
      });
    } else {
      if (step.timer) step.timer.cancelled = true;
      step.timer = undefined;
      this.transition(ex, step, 'stopped', at);
    }
  }

  stopExecution(ex: ExecutionRecord, at: number): void {
    ex.stopRequested = true;
    if (ex.doc.status === 'init') {
      if (ex.timer) ex.timer.cancelled = true;
      ex.timer = undefined;
      ex.doc.status = 'running';
    }
    for (const step of ex.steps) {
      if (step.doc.status !== 'init' && step.doc.status !== 'stopping' && STOPPABLE.has(step.doc.status)) this.stopStep(ex, step, at);
    }
    this.settle(ex, at);
  }

  /** Puts a finished step back to `init` so it runs again. */
  resetStep(ex: ExecutionRecord, step: StepRecord, at: number): void {
    if (step.timer) step.timer.cancelled = true;
    step.timer = undefined;
    delete step.doc.error_info;
    if (step.doc.status !== 'init') this.transition(ex, step, 'init', at);
    step.durationBase = 0;
    step.doc.duration = 0;
  }

  /** Makes a finished execution run again from `at`. */
  resume(ex: ExecutionRecord, at: number): void {
    ex.stopRequested = false;
    if (ex.doc.status !== 'running') {
      ex.doc.status = 'running';
      ex.anchor = at;
    }
    this.pump(ex, at);
  }

  rerun(ex: ExecutionRecord, names: string[], at: number): void {
    let chosen = names.length > 0 ? names : ex.steps.filter((s) => !DONE_STEP.has(s.doc.status)).map((s) => s.name);
    if (chosen.length === 0) chosen = ex.steps.map((s) => s.name);
    // Everything downstream of a rerun step runs again too.
    const selected = new Set(chosen);
    let grew = true;
    while (grew) {
      grew = false;
      for (const step of ex.steps) {
        if (!selected.has(step.name) && step.depends.some((d) => selected.has(d))) {
          selected.add(step.name);
          grew = true;
        }
      }
    }
    for (const step of ex.steps) if (selected.has(step.name)) this.resetStep(ex, step, at);
    this.resume(ex, at);
  }

  /** Ends the execution once no step is active: completed, abnormal (a step failed) or stopped. */
  settle(ex: ExecutionRecord, at: number): void {
    if (ex.doc.status !== 'running') return;
    const statuses = ex.steps.map((s) => s.doc.status);
    if (statuses.some((s) => !FINAL_STEP.has(s) && s !== 'init')) return;
    const doneOrMissing = (name: string): boolean => DONE_STEP.has(ex.steps.find((x) => x.name === name)?.doc.status ?? 'completed');
    const startable = !ex.stopRequested && ex.steps.some((s) => s.doc.status === 'init' && s.depends.every(doneOrMissing));
    if (startable) return;
    ex.doc.status = statuses.every((s) => DONE_STEP.has(s)) ? 'completed' : statuses.some((s) => FAILED_STEP.has(s)) ? 'abnormal' : 'stopped';
    if (ex.anchor !== undefined) ex.durationBase += Math.floor((at - ex.anchor) / 1000);
    ex.anchor = undefined;
    ex.doc.duration = ex.durationBase;
  }

  private resolveInputs(ex: ExecutionRecord, step: StepRecord): void {
    for (const input of step.doc.inputs ?? []) {
      if (!isObject(input) || typeof input.data !== 'string') continue;
      const m = /^\$ref\/data_requirements\/(.+)$/.exec(input.data);
      const source = m ? ex.doc.data_requirements.find((d) => d.name === m[1]) : undefined;
      if (source && source.value !== undefined) input.value = cloneJson(source.value);
    }
  }

  private setInstance(step: StepRecord): void {
    const id = stableUuid(`${step.doc.uuid}/${step.doc.events.length}`);
    if (step.type === 'model') step.doc.instance_id = JSON.stringify({ model_id: id });
    else if (step.type === 'service') step.doc.instance_id = { type: 'deploy', service_id: id, status: '', update_time: 0 };
    else if (step.type === 'job') step.doc.instance_id = JSON.stringify({ job_id: id });
  }

  viewExecution(ex: ExecutionRecord, now: number): ExecutionDoc {
    for (const step of ex.steps) {
      if (step.anchor !== undefined) step.doc.duration = step.durationBase + Math.floor((now - step.anchor) / 1000);
    }
    if (ex.anchor !== undefined) ex.doc.duration = ex.durationBase + Math.floor((now - ex.anchor) / 1000);
    return ex.doc;
  }
}
