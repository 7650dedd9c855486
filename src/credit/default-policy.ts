/** The default policy seed (version 1), typed and frozen; its reasoning is in docs/default-policy.md. */
import document from './default-policy.json';
import type { PolicyDocument } from './policy-schema';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Shared by every caller, so frozen: copy it (structuredClone) to draft a new version. */
export const defaultPolicyDocument: PolicyDocument = deepFreeze(document as PolicyDocument);
