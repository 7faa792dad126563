/**
 * Work started and not yet finished, so stopping an adapter can let the answers
 * being written reach the chat instead of cutting them off.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `work`, remembering it until it settles; its result or error passes through. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return promise;
  }

  /** Resolves once everything running has settled, or after `timeoutMs` (returns false then). */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    try {
      while (this.running.size > 0) {
        const done = await Promise.race([Promise.all(this.running).then(() => true as const), timedOut]);
        if (!done) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  get size(): number {
    return this.running.size;
  }
}
