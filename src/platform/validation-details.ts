import type { z } from 'zod';
import { AppError, type ErrorDetail } from '../lib/errors';

/** At most this many details in one answer; the message counts the rest. */
export const MAX_DETAILS = 50;
/** Paths named in the message itself (the details name up to MAX_DETAILS). */
const PATHS_IN_MESSAGE = 5;

/** Chinese wording for zod's generic issue codes; custom checks carry their own `messageZh`. */
const ZH_BY_ZOD_CODE: Record<string, string> = {
  invalid_type: '类型不正确或缺少必填字段',
  too_small: '数值过小或长度过短',
  too_big: '数值过大或长度过长',
  invalid_value: '取值不在允许范围内',
  invalid_format: '格式不正确',
  unrecognized_keys: '不允许的字段',
  invalid_union: '取值不符合任何允许的形式',
  not_multiple_of: '数值不是要求的倍数',
  custom: '取值无效',
};

/** One entry of fastify-type-provider-zod's `error.validation` (a zod issue). */
export interface ValidationEntry {
  keyword: string;
  instancePath: string;
  message?: string;
  params: unknown;
}

/**
 * The 400 answer for failed schema validation, bounded whatever the input: at most
 * MAX_DETAILS details, each naming one field. An unknown key is its own detail with a short
 * message: zod's message for it lists every unknown key of the object, and copying that into
 * each of N details made an answer (and the work) grow with N squared.
 */
export function validationFailedAnswer(
  where: string,
  validation: ValidationEntry[],
  /** Validation stopped before the end of the input: there may be more problems. */
  stoppedEarly = false,
): AppError {
  const details: ErrorDetail[] = [];
  let total = 0;
  // A malformed date is reported once: not again for its length (the document's maxLength).
  const malformed = new Set(
    validation.filter((v) => v.keyword === 'invalid_format').map((v) => v.instancePath),
  );
  for (const v of validation) {
    if ((v.keyword === 'too_big' || v.keyword === 'too_small') && malformed.has(v.instancePath))
      continue;
    const params = v.params as { params?: { messageZh?: string }; keys?: unknown[] };
    const unknownKeys =
      v.keyword === 'unrecognized_keys' && Array.isArray(params.keys) && params.keys.length > 0
        ? params.keys
        : null;
    total += unknownKeys ? unknownKeys.length : 1;
    if (details.length >= MAX_DETAILS) continue;
    const base = [where, ...v.instancePath.split('/').filter(Boolean)];
    if (unknownKeys) {
      // Only as many keys as still fit; never a walk over all of them.
      for (const key of unknownKeys.slice(0, MAX_DETAILS - details.length))
        details.push({
          path: [...base, String(key)].join('.'),
          message: 'is not an allowed field',
          messageZh: ZH_BY_ZOD_CODE.unrecognized_keys,
        });
      continue;
    }
    details.push({
      path: base.join('.'),
      message: v.message ?? 'invalid value',
      messageZh: params.params?.messageZh ?? ZH_BY_ZOD_CODE[v.keyword] ?? '取值无效',
    });
  }
  const named = details.slice(0, PATHS_IN_MESSAGE).map((d) => d.path);
  const more = total - named.length;
  let message = `Invalid ${where}: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  let messageZh = '请求参数校验失败';
  if (stoppedEarly) {
    message += ` (validation stopped after ${total} problems; details lists the first ${details.length})`;
    messageZh += `（发现 ${total} 处问题后停止校验，仅列出前 ${details.length} 处）`;
  } else if (total > details.length) {
    message += ` (${total} problems; details lists the first ${details.length})`;
    messageZh += `（共 ${total} 处问题，仅列出前 ${details.length} 处）`;
  }
  return new AppError(400, 'VALIDATION_FAILED', message, messageZh, details);
}

/** The same answer for zod issues found outside a route's schema validation. */
export function zodIssuesAnswer(
  where: string,
  issues: readonly z.core.$ZodIssue[],
  stoppedEarly = false,
): AppError {
  return validationFailedAnswer(
    where,
    issues.map((issue) => ({
      keyword: issue.code,
      instancePath: `/${issue.path.join('/')}`,
      message: issue.message,
      params: issue,
    })),
    stoppedEarly,
  );
}
