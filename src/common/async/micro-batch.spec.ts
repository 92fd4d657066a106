import { MicroBatch } from './micro-batch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MicroBatch', () => {
  it('hands over what arrived within the wait, in arrival order, and starts afresh after', async () => {
    const flushed: number[][] = [];
    const batch = new MicroBatch<number>(100, 5, (items) => void flushed.push(items));
    batch.add(1);
    batch.add(2);
    expect(flushed).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    batch.add(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flushed).toEqual([[1, 2], [3]]);
  });

  it('flushes at once when full, and the timer of that batch does not flush an empty one', async () => {
    const flushed: number[][] = [];
    const batch = new MicroBatch<number>(3, 5, (items) => void flushed.push(items));
    for (let i = 0; i < 7; i++) batch.add(i);
    expect(flushed).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flushed).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('with maxInFlight, holds what arrives while every flush is busy and hands it over in one batch when one ends', async () => {
    const flushed: number[][] = [];
    const running: Array<() => void> = [];
    const flush = (items: number[]) => new Promise<void>((resolve) => running.push(resolve) && flushed.push(items));
    const batch = new MicroBatch<number>(4, 1, flush, 1);
    batch.add(0);
    await sleep(10);
    expect(flushed).toEqual([[0]]);
    for (let i = 1; i <= 6; i++) batch.add(i);
    await sleep(10);
    // Still one flush running: nothing else was handed over, however long it waited.
    expect(flushed).toEqual([[0]]);
    running.shift()!();
    await sleep(10);
    expect(flushed).toEqual([[0], [1, 2, 3, 4]]);
    running.shift()!();
    await sleep(10);
    expect(flushed).toEqual([[0], [1, 2, 3, 4], [5, 6]]);
    running.shift()!();
  });

  it('with maxInFlight, a flush that fails is reported and frees its place for the next', async () => {
    const flushed: number[][] = [];
    const failures: unknown[] = [];
    const flush = (items: number[]) => (flushed.push(items) && items[0] === 0 ? Promise.reject(new Error('boom')) : Promise.resolve());
    const batch = new MicroBatch<number>(10, 1, flush, 1, (error) => failures.push(error));
    batch.add(0);
    await sleep(10);
    batch.add(1);
    await sleep(10);
    expect(flushed).toEqual([[0], [1]]);
    expect(failures).toEqual([new Error('boom')]);
  });
});
