import { createHmac } from 'node:crypto';
import { verifyOAuthQuery, verifyWebhookSignature } from './shopify-signatures.js';

describe('Shopify signatures (checked against Shopify documentation examples)', () => {
  const documented = {
    code: '0907a61c0c8d55e99db179b68161bc00',
    shop: 'some-shop.myshopify.com',
    state: '0.6784241404160823',
    timestamp: '1337178173',
    hmac: '700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf',
  };

  it('accepts the documented OAuth query with secret "hush"', () => {
    expect(verifyOAuthQuery(documented, 'hush')).toBe(true);
    const { state: _state, ...withoutState } = documented;
    expect(verifyOAuthQuery({ ...withoutState, hmac: '4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20' }, 'hush')).toBe(true);
  });

  it.each([
    ['a changed value', { ...documented, shop: 'other-shop.myshopify.com' }],
    ['a wrong secret', documented, 'hash'],
    ['a missing hmac', { ...documented, hmac: '' }],
    ['a malformed hmac', { ...documented, hmac: 'zz' }],
  ] as Array<[string, Record<string, string>, string?]>)('refuses %s', (_label, query, secret = 'hush') => {
    expect(verifyOAuthQuery(query, secret)).toBe(false);
  });

  it('verifies webhook bodies byte for byte', () => {
    const body = Buffer.from('{"id":1,"name":"#1001"}');
    const header = createHmac('sha256', 'hush').update(body).digest('base64');
    expect(verifyWebhookSignature(body, header, 'hush')).toBe(true);
    expect(verifyWebhookSignature(Buffer.from('{"id":1,"name":"#1002"}'), header, 'hush')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, 'hush')).toBe(false);
    expect(verifyWebhookSignature(body, 'short', 'hush')).toBe(false);
  });
});
