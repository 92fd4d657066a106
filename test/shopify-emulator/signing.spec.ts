import { execFileSync } from 'node:child_process';
import { signOAuthQuery, signWebhookBody } from './signing.js';

describe('emulator signing', () => {
  // Shopify's documented OAuth verification examples (secret "hush").
  it('signs the documented OAuth query with state', () => {
    const params = { code: '0907a61c0c8d55e99db179b68161bc00', shop: 'some-shop.myshopify.com', state: '0.6784241404160823', timestamp: '1337178173' };
    expect(signOAuthQuery(params, 'hush')).toBe('700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf');
  });

  it('signs the documented OAuth query without state, ignoring a present hmac', () => {
    const params = { hmac: 'ignored', timestamp: '1337178173', shop: 'some-shop.myshopify.com', code: '0907a61c0c8d55e99db179b68161bc00' };
    expect(signOAuthQuery(params, 'hush')).toBe('4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20');
  });

  it('signs a webhook body as base64 HMAC-SHA256, agreeing with openssl', () => {
    const body = '{"id":820982911946154508,"email":"jon@example.com"}';
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', 'hush', '-binary'], { input: body });
    expect(signWebhookBody(body, 'hush')).toBe(openssl.toString('base64'));
  });
});
