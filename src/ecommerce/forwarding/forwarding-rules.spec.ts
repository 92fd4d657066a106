import { createHmac } from 'node:crypto';
import { answerValue, classify, MAX_SENDS, nextDelayMs, redactedHeaders, standardSignature } from './forwarding-rules.js';

describe('ERP forwarding rules', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [301, 'permanent'],
    [302, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [410, 'gone'],
  ])('an answer %i is %s', (status, kind) => {
    expect(classify({ status, retryAfterMs: null }).kind).toBe(kind);
  });

  it('retries a timeout and a connection error, saying a timeout is an unknown outcome', () => {
    expect(classify({ error: 'aborted', timedOut: true })).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/may have the order/) });
    expect(classify({ error: 'ECONNREFUSED', timedOut: false })).toMatchObject({ kind: 'retry', reason: 'ECONNREFUSED' });
  });

  it('waits 1 s, 5 s, 30 s, 2 min, 10 min, then holds: six sends in all; Retry-After when longer; scaled', () => {
    expect([1, 2, 3, 4, 5, 6].map((sends) => nextDelayMs(sends, null, 1))).toEqual([1_000, 5_000, 30_000, 120_000, 600_000, null]);
    expect(MAX_SENDS).toBe(6);
    expect(nextDelayMs(1, 7_000, 1)).toBe(7_000);
    expect(nextDelayMs(3, 7_000, 1)).toBe(30_000);
    expect(nextDelayMs(5, null, 0.001)).toBe(600);
  });

  it('signs as Standard Webhooks: v1, base64 HMAC-SHA256 of id.timestamp.body keyed by the decoded secret', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const expected = createHmac('sha256', key).update('msg_1.1614265330.{"a":1}').digest('base64');
    expect(standardSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1614265330, '{"a":1}')).toBe(`v1,${expected}`);
  });

  it('reads the ERP order id and message from the answer by dot-path, and nothing from a non-JSON answer', () => {
    expect(answerValue('{"object":{"order_id":4711},"message":"created"}', 'object.order_id')).toBe('4711');
    expect(answerValue('{"message":"created"}', 'message')).toBe('created');
    expect(answerValue('<html>', 'message')).toBeNull();
    expect(answerValue('{"message":"x"}', null)).toBeNull();
  });

  it('keeps no secret in the attempt headers', () => {
    expect(redactedHeaders({ 'X-Api-Key': 'k', 'webhook-signature': 'v1,x', 'webhook-id': 'msg_1' }, 'x-api-key')).toEqual({ 'X-Api-Key': '[redacted]', 'webhook-signature': '[redacted]', 'webhook-id': 'msg_1' });
  });
});
