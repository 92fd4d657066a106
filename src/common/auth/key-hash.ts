import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(): string {
  return `pk_${randomBytes(32).toString('base64url')}`;
}

/** Constant-time string equality: both sides are hashed first so lengths never leak. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
