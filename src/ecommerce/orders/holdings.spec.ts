import { stateOfNewOrder, targetHeld, withRefund, withVersion, type OrderState } from './holdings.js';
import type { Order, OrderChange, Refund } from './order.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));
const NOW = at(600);
const product = () => 'product';

function version(minute: number, lines: Array<[string, number, number]>, extra: Partial<Order> = {}): OrderChange {
  return {
    kind: 'version',
    order: {
      externalId: '1001',
      name: '#1001',
      updatedAt: at(minute),
      cancelledAt: null,
      lines: lines.map(([id, quantity, currentQuantity]) => ({ externalLineId: id, sku: id, variantId: null, quantity, currentQuantity })),
      refunds: [],
      ...extra,
    },
  };
}
const refund = (id: string, lines: Array<[string, number, boolean]>): Refund => ({ externalId: id, lines: lines.map(([externalLineId, quantity, restock]) => ({ externalLineId, quantity, restock })) });
const refundChange = (r: Refund): OrderChange => ({ kind: 'refund', orderExternalId: '1001', orderName: null, refund: r });

/** A change and when it reached us (by default: when it happened, or NOW for refunds). */
type Arrival = OrderChange | [OrderChange, Date];

/** Folds the changes the way ingestion does, and answers what each line holds at the end. */
function held(arrivals: Arrival[]): Record<string, number> {
  let state: OrderState | null = null;
  for (const arrival of arrivals) {
    const [change, receivedAt] = Array.isArray(arrival) ? arrival : [arrival, arrival.kind === 'version' ? arrival.order.updatedAt : NOW];
    if (change.kind === 'refund') {
      if (state) state = withRefund(state, change.refund);
      continue;
    }
    state = state ? withVersion(state, change.order, receivedAt, product).state : stateOfNewOrder(change.order, receivedAt, product);
  }
  const target = targetHeld(state!);
  return Object.fromEntries(state!.lines.map((line, i) => [line.externalLineId, target[i]]));
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const placed = version(0, [['A', 5, 5], ['B', 2, 2]]);
const returned = refund('r1', [['A', 2, true]]);
const kept = refund('r2', [['B', 1, false]]);

describe('order holdings', () => {
  it.each([
    ['a new order holds what it was placed with', [placed], { A: 5, B: 2 }],
    ['an edit down (current quantity 5 -> 2) holds 2', [placed, version(1, [['A', 5, 2], ['B', 2, 2]])], { A: 2, B: 2 }],
    ['an edit up holds the larger quantity', [placed, version(1, [['A', 5, 7], ['B', 2, 2]])], { A: 7, B: 2 }],
    ['a line removed by an edit holds nothing', [placed, version(1, [['A', 5, 5], ['B', 2, 0]])], { A: 5, B: 0 }],
    ['a line added by an edit holds its quantity', [placed, version(1, [['A', 5, 5], ['B', 2, 2], ['C', 3, 3]])], { A: 5, B: 2, C: 3 }],
    ['a refund with restock returns its units (refund first seen on its own)', [placed, refundChange(returned)], { A: 3, B: 2 }],
    ['a refund with restock, then the version that counts it: returned once', [placed, refundChange(returned), version(2, [['A', 5, 3], ['B', 2, 2]], { refunds: [returned] })], { A: 3, B: 2 }],
    ['a refund without restock keeps its units out', [placed, version(2, [['A', 5, 5], ['B', 2, 1]], { refunds: [kept] })], { A: 5, B: 2 }],
    ['a refund without restock seen on its own changes nothing', [placed, refundChange(kept)], { A: 5, B: 2 }],
    ['a cancellation without refund lines restocks everything', [placed, version(3, [['A', 5, 5], ['B', 2, 2]], { cancelledAt: at(3) })], { A: 0, B: 0 }],
    [
      'a cancellation without restock keeps everything out',
      [placed, version(3, [['A', 5, 0], ['B', 2, 0]], { cancelledAt: at(3), refunds: [refund('c1', [['A', 5, false], ['B', 2, false]])] })],
      { A: 5, B: 2 },
    ],
    [
      'a cancellation with restock returns everything once',
      [placed, version(3, [['A', 5, 0], ['B', 2, 0]], { cancelledAt: at(3), refunds: [refund('c1', [['A', 5, true], ['B', 2, true]])] })],
      { A: 0, B: 0 },
    ],
    ['a cancellation first seen (cancel before create) holds nothing', [version(3, [['A', 5, 5], ['B', 2, 2]], { cancelledAt: at(3) }), placed], { A: 0, B: 0 }],
    ['a stale version changes nothing', [version(1, [['A', 5, 2], ['B', 2, 2]]), placed], { A: 2, B: 2 }],
    ['a later version of the same second that says something different is taken', [placed, version(2, [['A', 5, 4], ['B', 2, 2]]), version(2, [['A', 5, 3], ['B', 2, 2]])], { A: 3, B: 2 }],
    ['the same version again changes nothing', [placed, version(2, [['A', 5, 4], ['B', 2, 2]]), version(2, [['A', 5, 4], ['B', 2, 2]])], { A: 4, B: 2 }],
    [
      'a version dated a day ahead does not make the real cancellation that follows stale',
      [placed, [version(60 * 24 + 10, [['A', 5, 5], ['B', 2, 2]]), at(20)], version(30, [['A', 5, 5], ['B', 2, 2]], { cancelledAt: at(30) })],
      { A: 0, B: 0 },
    ],
    [
      'a version dated a day ahead does not make a later real edit stale',
      [placed, [version(60 * 24 + 10, [['A', 5, 5], ['B', 2, 2]]), at(20)], version(30, [['A', 5, 1], ['B', 2, 2]])],
      { A: 1, B: 2 },
    ],
    ['the same version twice changes nothing', [placed, version(1, [['A', 5, 2], ['B', 2, 2]]), version(1, [['A', 5, 2], ['B', 2, 2]])], { A: 2, B: 2 }],
  ] as Array<[string, Arrival[], Record<string, number>]>)('%s', (_rule, arrivals, expected) => {
    expect(held(arrivals)).toEqual(expected);
  });

  it('ends the same whatever order the changes arrive in', () => {
    const cancelled = refund('c1', [['A', 3, true], ['B', 1, false]]);
    const history: OrderChange[] = [
      placed,
      version(1, [['A', 5, 4], ['B', 2, 2], ['C', 1, 1]]),
      refundChange(returned),
      version(2, [['A', 5, 2], ['B', 2, 2], ['C', 1, 1]], { refunds: [returned] }),
      refundChange(kept),
      version(3, [['A', 5, 0], ['B', 2, 0], ['C', 1, 1]], { refunds: [returned, kept, cancelled], cancelledAt: at(3) }),
    ];
    const expected = held(history);
    expect(expected).toEqual({ A: 0, B: 2, C: 1 });
    for (const order of permutations(history)) {
      // A refund that arrives before any version of its order is skipped by ingestion; the versions carry it too.
      const firstVersion = order.findIndex((c) => c.kind === 'version');
      expect(held(order.slice(firstVersion))).toEqual(expected);
    }
  });
});
