import { backoffMs, refillWaitMs, retryAfterMs } from './retry-policy.js';

describe('retry policy', () => {
  it('grows the backoff ceiling exponentially, with jitter, up to a cap', () => {
    expect(backoffMs(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffMs(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffMs(10, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(3, 500, 30_000, () => 0.5)).toBe(2000);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it('waits for the bucket to refill what a query needs', () => {
    expect(refillWaitMs(100, { maximumAvailable: 1000, currentlyAvailable: 40, restoreRate: 50 })).toBe(1200);
    expect(refillWaitMs(100, { maximumAvailable: 1000, currentlyAvailable: 400, restoreRate: 50 })).toBe(0);
    expect(refillWaitMs(5000, { maximumAvailable: 1000, currentlyAvailable: 900, restoreRate: 100 })).toBe(1000);
  });
});
