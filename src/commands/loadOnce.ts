// A feature in a bundle of its own, loaded on first use: one load shared by every caller, tried again on the next
// use when it failed (a transient error must not disable the feature until a reload).

export interface LoadedOnce<T> {
  /** The feature, loading it on the first call. */
  (): Promise<T>;
  /** The feature's load when it has begun: to dispose of what loaded, without loading it. */
  readonly started: () => Promise<T> | undefined;
}

export function loadOnce<T>(load: () => Promise<T>, onError?: (error: unknown) => void): LoadedOnce<T> {
  let loading: Promise<T> | undefined;
  const get = (): Promise<T> =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      onError?.(error);
      throw error;
    }));
  return Object.assign(get, { started: () => loading });
}
