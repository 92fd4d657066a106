import { MicroBatch } from './micro-batch.js';

describe('MicroBatch', () => {
  it('hands over what arrived within the wait, in arrival order, and starts afresh after', async () => {
    const flushed: number[][] = [];
    const batch = new MicroBatch<number>(100, 5, (items) => flushed.push(items));
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
    const batch = new MicroBatch<number>(3, 5, (items) => flushed.push(items));
    for (let i = 0; i < 7; i++) batch.add(i);
    expect(flushed).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flushed).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });
});
