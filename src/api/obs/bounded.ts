// Work over many items, a few at a time: the first failure (or the caller's cancel) stops the rest.

import { abortedError } from '../wire';

/** Runs `task` for every index, `parallel` at once; the first failure aborts the others and is thrown. */
export async function forEachBounded(count: number, parallel: number, signal: AbortSignal | undefined, task: (index: number, signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const forward = (): void => stop.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && !failure && !stop.signal.aborted) {
      const index = next++;
      try {
        await task(index, stop.signal);
      } catch (error) {
        failure ??= { error };
        stop.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(Math.max(1, parallel), count) }, worker));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
  if (signal?.aborted) throw abortedError('OBS', signal.reason);
}
