import { z } from 'zod';

/**
 * The person an API key belongs to: an employee id or e-mail address. Four-eyes rules (policy
 * publishing, 审贷分离 review) compare owners, never keys, so one person with two keys is still
 * one person. Stored lower-case, so "Alice@Bank" and "alice@bank" are the same person.
 *
 * A person's owner has no ":"; the forms with one are reserved for owners the service makes up:
 * `partner:<partnerId>` (a partner app) and `key:<id>` (a key issued before owners existed).
 */
export const OWNER_PATTERN = /^[a-z0-9][a-z0-9._@+-]{0,127}$/;

export const ownerSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(128)
  .refine((v) => OWNER_PATTERN.test(v), {
    message: 'must be an employee id or e-mail address: letters, digits, ".", "_", "@", "+" or "-"',
    params: { messageZh: '须为员工编号或邮箱：字母、数字或 . _ @ + -' },
  })
  .describe(
    'The person this key belongs to (employee id or e-mail, compared case-insensitively); four-eyes rules compare owners, not keys',
  );

/** The owner of a partner app's key when the admin names none: the partner itself. */
export const partnerOwner = (partnerId: string) => `partner:${partnerId}`;
