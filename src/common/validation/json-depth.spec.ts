import { jsonDepth } from './validation.pipe.js';

describe('jsonDepth', () => {
  it.each<[unknown, number]>([
    [1, 0],
    ['x', 0],
    [null, 0],
    [{}, 1],
    [[1, 2], 1],
    [{ a: { b: [{ c: 1 }] } }, 4],
  ])('%j is %i deep', (value, depth) => expect(jsonDepth(value)).toBe(depth));

  it('measures a hostile depth without overflowing the stack, stopping at the limit', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonDepth(deep)).toBe(100_000);
    expect(jsonDepth(deep, 32)).toBe(33);
  });
});
