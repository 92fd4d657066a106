import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_ALGORITHMS = ['sha256', 'sha512'] as const;
export const SIGNATURE_ENCODINGS = ['hex', 'base64'] as const;

/** How a sender signs: HMAC of the raw body with the source's secret, in one header (convoy's verifier, as configuration). */
export interface SignatureConfig {
  header: string;
  algorithm: (typeof SIGNATURE_ALGORITHMS)[number];
  encoding: (typeof SIGNATURE_ENCODINGS)[number];
  /** Stripped from the header value before decoding (`sha256=` for GitHub-style senders). */
  prefix?: string;
}

/** Whether `given` (the header value) is the HMAC of the exact body bytes; constant-time in the signature. */
export function verifySignature(body: Buffer, given: string | undefined, secret: string, config: SignatureConfig): boolean {
  if (!given) return false;
  let value = given.trim();
  if (config.prefix) {
    if (!value.startsWith(config.prefix)) return false;
    value = value.slice(config.prefix.length);
  }
  const expected = createHmac(config.algorithm, secret).update(body).digest();
  const pattern = config.encoding === 'hex' ? /^[0-9a-fA-F]+$/ : /^[A-Za-z0-9+/]+={0,2}$/;
  if (!pattern.test(value)) return false;
  const received = Buffer.from(value, config.encoding);
  // Only the canonical spelling of the digest: Buffer.from ignores trailing garbage a sender never writes.
  if (received.toString(config.encoding).toLowerCase() !== value.toLowerCase()) return false;
  return received.length === expected.length && timingSafeEqual(received, expected);
}
