// The training actions' test rig: the emulator on a ManualClock with its training family at hand, a client
// that does not retry (so the follower's own reconnects are what the tests see), a running job, and a way to
// let I/O finish until something waits on the clock again.

import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import type { TrainingJob } from '../../../src/api/types';
import type { LogSink } from '../../../src/watch/cappedOutput';
import { createTrainingFamily, TRAINING_TIMINGS, type TrainingFamily } from '../../../src/emulator/training';
import { createWorkflowsFamily } from '../../../src/emulator/workflows';
import type { RunningEmulator } from '../../../src/emulator/server';
import { emulatorClient, startTestEmulator } from './emulatorHelpers';

export interface TrainingRig {
  emu: RunningEmulator;
  clock: ManualClock;
  training: TrainingFamily;
  client: ModelArtsClient;
  /** Creates a job and moves time until it runs; its log writes nothing unless told. */
  runningJob(name: string): Promise<TrainingJob>;
  /** Requests served whose path matches. */
  count(match: RegExp): number;
  /** Lets I/O and continuations run until something sleeps on the clock (or `done` settles; without it, for a while). */
  settle(done?: Promise<unknown>): Promise<void>;
  /** Moves time by `ms`, then settles. */
  tick(ms: number, done?: Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** `emulator`: more options for the emulator (a scale seed, say); its families are always these. */
export async function startTrainingRig(emulator: Omit<Parameters<typeof startTestEmulator>[0], 'families'> = {}): Promise<TrainingRig> {
  let training: TrainingFamily | undefined;
  const { emu, clock } = await startTestEmulator({
    ...emulator,
    families: (opts) => {
      training = createTrainingFamily(opts);
      return [training, createWorkflowsFamily(opts)];
    },
  });
  if (!training) throw new Error('no training family');
  const family = training;
  const client = emulatorClient(emu, clock, { retry: { maxAttempts: 1 } });
  const settle = async (done?: Promise<unknown>): Promise<void> => {
    let settled = false;
    void done?.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Without `done`: a bounded flush (nothing may be left to wait on the clock).
    const limit = done ? 200_000 : 2_000;
    for (let i = 0; i < limit; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled || clock.pending > 0) return;
    }
    if (done) throw new Error('nothing came to wait on the clock');
  };
  return {
    emu,
    clock,
    training: family,
    client,
    runningJob: async (name) => {
      const created = await client.trainingJobs.create({
        kind: 'job',
        metadata: { name, description: 'unit test' },
        algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' },
        spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
      });
      await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs);
      family.setLogRate(created.metadata.id, 0);
      const job = await client.trainingJobs.get(created.metadata.id);
      if (job.status.phase !== 'Running') throw new Error(`job is ${job.status.phase}`);
      return job;
    },
    count: (match) => emu.requests.filter((r) => r.service === 'modelarts' && match.test(r.path)).length,
    settle,
    tick: async (ms, done) => {
      await clock.advance(ms);
      await settle(done);
    },
    close: async () => {
      client.dispose();
      await emu.close();
    },
  };
}

/** An output channel in memory: what it holds, and how it was written. */
export class MemorySink implements LogSink {
  text = '';
  appends = 0;
  replaces = 0;

  append(text: string): void {
    this.text += text;
    this.appends++;
  }

  replace(text: string): void {
    this.text = text;
    this.replaces++;
  }

  get lines(): string[] {
    const lines = this.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}
