import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the service must use again (a webhook's signing secret: a hash could not sign) are
 * kept encrypted with AES-256-GCM. The key is derived from a configured setting with HKDF, the
 * row's id is the associated data (a ciphertext copied to another row does not open), and the
 * stored form is `v1.` + base64url(iv | tag | ciphertext), the version leaving room for a new key.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private readonly key: Buffer;

  constructor(setting: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', setting, '', purpose, 32));
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** The plaintext; throws if the value was altered, bound to another id or sealed under another key. */
  open(sealed: string, boundTo: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown secret-box version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}
