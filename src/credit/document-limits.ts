/**
 * How long a policy document's strings and lists may be (issue #14: the published schema states
 * a limit on each). Strings: those of the answers that show them (a reason's code and texts, a
 * decision's characteristic names: MAX_LENGTH in platform/schemas.ts), so a valid policy never
 * yields an answer that breaks its schema. Lists: the input guard's 1000 items per array, so no
 * list a request can carry is refused for its length.
 */
export const DOCUMENT_LIMITS = { code: 64, name: 200, text: 2000, items: 1000 } as const;
