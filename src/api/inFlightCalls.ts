// The calls a client has in flight, each with its own controller, aborted by the caller's signal or by
// closeAll(): a closed client sends nothing more, whoever still holds it (a poll that wakes after deactivation).
// Plain listeners rather than AbortSignal.any, which on the Node versions VS Code ships keeps every combined
// signal alive for as long as the client's own signal lives.

export class InFlightCalls {
  private readonly calls = new Set<AbortController>();
  private closedReason: Error | undefined;

  /** Runs `call` with a signal that aborts when the caller's does or when the client closes. */
  async run<T>(caller: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const forward = (): void => controller.abort(caller?.reason);
    if (this.closedReason) controller.abort(this.closedReason);
    else if (caller?.aborted) forward();
    else caller?.addEventListener('abort', forward, { once: true });
    this.calls.add(controller);
    try {
      return await call(controller.signal);
    } finally {
      this.calls.delete(controller);
      caller?.removeEventListener('abort', forward);
    }
  }

  /** Aborts every call in flight and every later one with `reason`. */
  closeAll(reason: Error): void {
    this.closedReason = reason;
    for (const call of this.calls) call.abort(reason);
  }
}
