import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

const VERSION = 'v1';

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for secrets at rest (shop access and refresh tokens). The stored form names the key it was
 * sealed with, `v1.<keyId>.<iv>.<tag>.<ciphertext>`, so a rotation can keep reading old rows while new ones
 * are sealed with the new key.
 */
@Injectable()
export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'tokenEncryptionKey'>) {
    this.currentId = keyId(config.tokenEncryptionKey);
    this.keys = new Map([[this.currentId, config.tokenEncryptionKey]]);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, id, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !tag || ciphertext === undefined) throw new Error('Sealed token has an unknown format');
    const key = this.keys.get(id);
    if (!key) throw new Error(`Sealed token uses key ${id}, which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
