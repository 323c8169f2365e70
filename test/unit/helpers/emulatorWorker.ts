// The emulator in a worker thread on its own ManualClock, driven by messages. Tests that measure the
// extension side's event loop run it here, so the emulator's own work (generating and serializing a 5 MB
// log window) does not count against the client that reads it.

import { parentPort, Worker, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { ManualClock } from '../../../src/api/clock';
import { createTrainingFamily, TRAINING_TIMINGS, type TrainingFamily } from '../../../src/emulator/training';
import { createWorkflowsFamily } from '../../../src/emulator/workflows';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { emulatorClient, type EmulatorAddress } from './emulatorHelpers';

export type WorkerRequest =
  | { op: 'advance'; ms: number }
  | { op: 'runningJob'; name: string }
  | { op: 'setLogRate'; jobId: string; linesPerSecond: number }
  | { op: 'count'; pattern: string }
  | { op: 'phase'; jobId: string };

export interface WorkerEmulatorInfo extends EmulatorAddress {
  /** The emulator's clock when it started: the parent's clock starts there too. */
  start: number;
}

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
}

/** The parent's side: a started worker and a typed call into it. */
export interface EmulatorWorker {
  info: WorkerEmulatorInfo;
  call<T>(request: WorkerRequest): Promise<T>;
  close(): Promise<void>;
}

export async function startEmulatorWorker(): Promise<EmulatorWorker> {
  const worker = new Worker(join(__dirname, 'emulatorWorker.js'), { workerData: { role: 'emulator' } });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ready: ((info: WorkerEmulatorInfo) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const started = new Promise<WorkerEmulatorInfo>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  worker.on('message', (message: Reply | { ready: WorkerEmulatorInfo }) => {
    if ('ready' in message) {
      ready?.(message.ready);
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.value);
  });
  worker.on('error', (error) => {
    failed?.(error);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const info = await started;
  return {
    info,
    call: <T>(request: WorkerRequest) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, request });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port || (workerData as { role?: string } | null)?.role !== 'emulator') return;
  const clock = new ManualClock();
  let training: TrainingFamily | undefined;
  const emu: RunningEmulator = await startEmulator({
    port: 0,
    iamPort: 0,
    clock,
    gatewayClock: clock,
    families: (opts) => {
      training = createTrainingFamily(opts);
      return [training, createWorkflowsFamily(opts)];
    },
  });
  const family = training;
  if (!family) throw new Error('no training family');
  // Only for setting up the job; the client under test runs in the parent.
  const client = emulatorClient(emu, clock, { retry: { maxAttempts: 1 } });
  const handle = async (request: WorkerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'advance':
        await clock.advance(request.ms);
        return clock.now();
      case 'runningJob': {
        const created = await client.trainingJobs.create({
          kind: 'job',
          metadata: { name: request.name, description: 'flood test' },
          algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' },
          spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
        });
        const advancedMs = TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs;
        await clock.advance(advancedMs);
        family.setLogRate(created.metadata.id, 0);
        const job = await client.trainingJobs.get(created.metadata.id);
        return { id: job.metadata.id, task: job.status.tasks[0], phase: job.status.phase, advancedMs };
      }
      case 'setLogRate':
        family.setLogRate(request.jobId, request.linesPerSecond);
        return undefined;
      case 'count': {
        const match = new RegExp(request.pattern);
        return emu.requests.filter((r) => r.service === 'modelarts' && match.test(r.path)).length;
      }
      case 'phase':
        return family.getJob(request.jobId)?.status.phase;
    }
  };
  port.on('message', (message: { id: number; request: WorkerRequest }) => {
    handle(message.request).then(
      (value) => port.postMessage({ id: message.id, value }),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  const info: WorkerEmulatorInfo = {
    endpoint: emu.endpoint,
    iamEndpoint: emu.iamEndpoint,
    region: emu.region,
    projectId: emu.projectId,
    credentials: { ak: emu.credentials.ak, sk: emu.credentials.sk },
    start: clock.now(),
  };
  port.postMessage({ ready: info });
}

void serve();
