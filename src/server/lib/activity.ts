/**
 * Requests in flight in this process, so background work can let them go first. On the embedded database (PGlite)
 * there is one connection: a job's transaction and a request's queries take turns on it, so a job that runs
 * transaction after transaction makes every request wait behind it. The job calls `yieldToRequests()` between
 * items: it returns at once while nothing is in flight, otherwise when the requests have finished (or `maxWaitMs`
 * has passed, so a busy server still gets its daily job done).
 */
export class RequestActivity {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  get busy() {
    return this.inFlight > 0;
  }

  begin() {
    this.inFlight++;
  }

  end() {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0 && this.waiters.length) {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves when no request is in flight, at the latest after `maxWaitMs`; always lets queued I/O run first. */
  async yieldToRequests(maxWaitMs = 250): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (!this.busy) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((f) => f !== done);
        resolve();
      }, maxWaitMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.push(done);
    });
  }
}
