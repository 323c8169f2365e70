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
