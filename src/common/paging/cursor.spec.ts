import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

describe('cursor', () => {
  it('round-trips a position', () => {
    const position = { at: '2026-11-22T10:00:00.000Z', id: '6f1c2a52-3f7e-4d0c-9d65-1f1f7f0c0a11' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["x","y"]').toString('base64url')])(
    'rejects %p with a 400',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(BadRequestException);
    },
  );

  it('gives a next cursor only when more rows than the limit were fetched', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000).toISOString(), id: String(n) }));
    const full = toPage(rows, 2, (r) => r, (r) => r.id);
    expect(full.items).toEqual(['1', '2']);
    expect(decodeCursor(full.nextCursor!)).toEqual(rows[1]);
    expect(toPage(rows, 3, (r) => r, (r) => r.id).nextCursor).toBeNull();
  });
});
