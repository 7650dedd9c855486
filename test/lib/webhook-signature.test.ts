import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { SecretBox } from '../../src/lib/secret-box';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '../../src/lib/webhook-signature';

describe('webhook signatures', () => {
  it('round trip: what is signed verifies; another body, secret or an old timestamp does not', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ maxLength: 500 }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (secret, body, t, suffix) => {
          const header = signWebhook(secret, t, body);
          expect(verifyWebhook(secret, header, body, t)).toBe(true);
          expect(verifyWebhook(secret, header, body, t + 300)).toBe(true);
          expect(verifyWebhook(secret, header, body + suffix, t)).toBe(false);
          expect(verifyWebhook(secret + suffix, header, body, t)).toBe(false);
          expect(verifyWebhook(secret, header, body, t + 301)).toBe(false);
          // The timestamp is signed: moving it breaks the signature.
          expect(verifyWebhook(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(
            false,
          );
        },
      ),
    );
  });

  it('is Stripe-shaped: t=<seconds>,v1=HMAC-SHA256 hex of "<t>.<body>"', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const body = '{"id":"evt_1","type":"offer.accepted"}';
    const expected = createHmac('sha256', secret).update(`1764667800.${body}`).digest('hex');
    expect(signWebhook(secret, 1764667800, body)).toBe(`t=1764667800,v1=${expected}`);
    // A receiver with two secrets (rotation) accepts either v1.
    expect(
      verifyWebhook(secret, `t=1764667800,v1=${'0'.repeat(64)},v1=${expected}`, body, 1764667800),
    ).toBe(true);
    expect(verifyWebhook(secret, 'garbage', body, 1764667800)).toBe(false);
    expect(verifyWebhook(secret, `t=1764667800,v1=${expected.slice(2)}`, body, 1764667800)).toBe(
      false,
    );
  });
});

describe('SecretBox (AES-256-GCM)', () => {
  it('opens what it sealed, for the same id and key only; each seal differs', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        (plain, id) => {
          const box = new SecretBox('a-key-of-thirty-two-characters-xx', 'purpose');
          const sealed = box.seal(plain, id);
          expect(box.open(sealed, id)).toBe(plain);
          expect(box.seal(plain, id)).not.toBe(sealed);
          expect(() => box.open(sealed, `${id}x`)).toThrow();
          expect(() =>
            new SecretBox('another-key-of-thirty-two-chars-x', 'purpose').open(sealed, id),
          ).toThrow();
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses an altered ciphertext', () => {
    const box = new SecretBox('a-key-of-thirty-two-characters-xx', 'purpose');
    const sealed = box.seal('whsec_secret', 'whe_1');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1.${raw.toString('base64url')}`, 'whe_1')).toThrow();
  });
});
