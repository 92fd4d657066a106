import { createHmac } from 'node:crypto';
import { verifySignature, type SignatureConfig } from './signature.js';

const body = Buffer.from('{"id":"po-1","packages":[]}');
const secret = 'a-secret-of-some-length';
const hex: SignatureConfig = { header: 'X-APIC-WEBHOOK-SIGNATURE', algorithm: 'sha256', encoding: 'hex' };

describe('signed-webhook signatures', () => {
  it('accepts the HMAC of the exact bytes, in hex of any case or base64, with its prefix', () => {
    const digest = createHmac('sha256', secret).update(body).digest('hex');
    expect(verifySignature(body, digest, secret, hex)).toBe(true);
    expect(verifySignature(body, digest.toUpperCase(), secret, hex)).toBe(true);
    expect(verifySignature(body, createHmac('sha512', secret).update(body).digest('base64'), secret, { ...hex, algorithm: 'sha512', encoding: 'base64' })).toBe(true);
    expect(verifySignature(body, `sha256=${digest}`, secret, { ...hex, prefix: 'sha256=' })).toBe(true);
  });

  it.each([
    ['no signature', undefined],
    ['an empty one', ''],
    ['another secret', createHmac('sha256', 'other').update(body).digest('hex')],
    ['other bytes', createHmac('sha256', secret).update(`${body.toString()} `).digest('hex')],
    ['a truncated digest', createHmac('sha256', secret).update(body).digest('hex').slice(0, 62)],
    ['trailing garbage', `${createHmac('sha256', secret).update(body).digest('hex')}zz`],
    ['the right digest in the wrong encoding', createHmac('sha256', secret).update(body).digest('base64')],
    ['a missing prefix where one is configured', 'PREFIX'],
  ])('refuses %s', (_label, given) => {
    const config = given === 'PREFIX' ? { ...hex, prefix: 'sha256=' } : hex;
    const value = given === 'PREFIX' ? createHmac('sha256', secret).update(body).digest('hex') : given;
    expect(verifySignature(body, value, secret, config)).toBe(false);
  });
});
