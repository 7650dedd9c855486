/** The default policy seed (version 1), typed; its reasoning is in docs/default-policy.md. */
import document from './default-policy.json';
import type { PolicyDocument } from './policy-schema';

export const defaultPolicyDocument: PolicyDocument = document as PolicyDocument;
