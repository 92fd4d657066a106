/**
 * Gathers items that arrive within `waitMs` of the first one (or until `max` are waiting) and hands them to
 * `flush` together: many callers, one round trip.
 *
 * With `maxInFlight`, at most that many flushes run at once (flush then returns a promise that settles when its
 * items are done): what arrives while all are busy waits, and the next free one takes up to `max` of it at once.
 * Under load the batches grow by themselves instead of piling up side by side, which is what makes a grouped commit
 * cheaper per item.
 */
export class MicroBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly max: number,
    private readonly waitMs: number,
    private readonly flush: (items: T[]) => void | Promise<void>,
    private readonly maxInFlight = Infinity,
    /** A bounded flush that failed; by default the failure stays an unhandled rejection, which the logs show. */
    private readonly onError: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.max) this.release();
    else this.timer ??= setTimeout(() => this.release(), this.waitMs);
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.items.length > 0 && this.inFlight < this.maxInFlight) {
      const items = this.items.splice(0, this.max);
      if (this.maxInFlight === Infinity) {
        void this.flush(items);
        continue;
      }
      this.inFlight++;
      void Promise.resolve()
        .then(() => this.flush(items))
        .catch(this.onError)
        .finally(() => {
          this.inFlight--;
          this.release();
        });
    }
  }
}
