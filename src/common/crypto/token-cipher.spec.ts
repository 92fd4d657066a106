import { randomBytes } from 'node:crypto';
import { keyId, TokenCipher } from './token-cipher.js';

describe('TokenCipher', () => {
  const key = randomBytes(32);
  const cipher = new TokenCipher({ tokenEncryptionKey: key });

  it('round-trips and never stores the plaintext', () => {
    const sealed = cipher.encrypt('shpat_secret_token');
    expect(sealed).not.toContain('shpat_secret_token');
    expect(sealed.split('.')[1]).toBe(keyId(key));
    expect(cipher.decrypt(sealed)).toBe('shpat_secret_token');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses tampered ciphertext and unknown keys', () => {
    const sealed = cipher.encrypt('token');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    const other = new TokenCipher({ tokenEncryptionKey: randomBytes(32) });
    expect(() => other.decrypt(sealed)).toThrow(/not configured/);
  });
});
