/**
 * A signal that aborts when `signal` does or after `ms`, whichever is first.
 * Every LLM call carries one: the SDK's own timeout stops counting once the
 * response headers arrive, so a server that stalls mid-body would otherwise
 * hold the answer for as long as it likes.
 */
export function withDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(ms)));
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Waits `ms`, or less when `signal` aborts first; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
