// Shared by the bench modules: each runs in a child process and ends with one `BENCH_RESULT {json}` line.

export interface EmulatorTarget {
  endpoint: string;
  iamEndpoint: string;
  region: string;
  projectId: string;
  ak: string;
  sk: string;
}

/** The emulator the orchestrator started in its own process (`node dist/emulator.js --json`). */
export function targetFromEnv(): EmulatorTarget {
  const raw = process.env.BENCH_TARGET;
  if (!raw) throw new Error('BENCH_TARGET is not set: run this through bench/run.mjs');
  return JSON.parse(raw) as EmulatorTarget;
}

export function emit(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function run(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Log lines without metrics, as frameworks and platforms print them (the bulk of a real training log). */
export const LOG_NOISE: ReadonlyArray<(i: number) => string> = [
    (i: number) => `2026-12-07 12:${String(i % 60).padStart(2, '0')}:01,123 INFO  [dataloader] prefetching batch ${i} from /cache/data/shard-${i % 97}.tfrecord`,
    (i: number) => `[worker-0] 2026-12-07T12:00:01Z rank 0: allreduce of 25 buckets took ${i % 13} ms`,
    () => 'WARNING:tensorflow:From train.py:120: The name tf.Session is deprecated. Please use tf.compat.v1.Session instead.',
    (i: number) => `  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line ${i % 400}, in forward`,
    (i: number) => `[npu] device 0 memory: used ${i % 32000} MiB of 32768 MiB, temperature 54 C`,
    () => '',
    (i: number) => `Saving checkpoint to /cache/output/checkpoint-${i}`,
    (i: number) => `[2026-12-07 12:00:01] INFO: throughput ${i % 900} samples/sec, eta 1:23:45`,
];
