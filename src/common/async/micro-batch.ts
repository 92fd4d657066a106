/**
 * Gathers items that arrive within `waitMs` of the first one (or until `max` are waiting) and hands them to
 * `flush` together: many callers, one round trip.
 */
export class MicroBatch<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly max: number,
    private readonly waitMs: number,
    private readonly flush: (items: T[]) => void,
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.max) this.release();
    else this.timer ??= setTimeout(() => this.release(), this.waitMs);
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items;
    this.items = [];
    if (items.length > 0) this.flush(items);
  }
}
