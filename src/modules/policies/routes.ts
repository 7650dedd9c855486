import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commandContext } from '../../lib/command-context';
import { commonErrors, errorSchema, idParams } from '../../platform/schemas';
import {
  activateBody,
  activePolicySchema,
  createPolicyBody,
  diffSchema,
  listPoliciesQuery,
  policyListSchema,
  policySchema,
  updatePolicyBody,
  validationResultSchema,
} from './schemas';
import * as service from './service';

const risk = { roles: ['risk'] as const };
const readers = { roles: ['risk', 'admin'] as const };
const stateErrors = { 404: errorSchema, 409: errorSchema, 422: errorSchema };
const tags = ['policies'];

export async function policyRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/policies/active',
    {
      config: { errors: { 404: ['NOT_FOUND'] }, roles: ['risk', 'admin', 'reviewer'] },
      schema: {
        tags,
        operationId: 'getActivePolicy',
        summary: 'The credit policy deciding live applications (the champion), and any challenger',
        response: { 200: activePolicySchema, 404: errorSchema, ...commonErrors },
      },
    },
    async () => service.activePolicy(deps),
  );
  r.post(
    '/v1/policies',
    {
      config: { errors: { 404: ['NOT_FOUND'] }, ...risk, idempotency: 'optional' },
      schema: {
        tags,
        operationId: 'createPolicy',
        summary:
          'A new draft: a whole document, or cloneOf another policy with a JSON merge patch of changes',
        body: createPolicyBody,
        response: { 201: policySchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 201,
        run: (tx) => service.createDraft(commandContext(request, deps.clock), request.body, tx),
      }),
  );
  r.get(
    '/v1/policies',
    {
      config: readers,
      schema: {
        tags,
        operationId: 'listPolicies',
        summary: 'Policies, newest first',
        querystring: listPoliciesQuery,
        response: { 200: policyListSchema, ...commonErrors },
      },
    },
    async (request) =>
      service.listPolicies(deps, request.query.limit, request.query.cursor, request.query.status),
  );
  r.get(
    '/v1/policies/:id',
    {
      config: { ...readers, errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags,
        operationId: 'getPolicy',
        summary: 'A policy and its document',
        params: idParams,
        response: { 200: policySchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => service.getPolicy(deps, request.params.id),
  );
  r.put(
    '/v1/policies/:id',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['INVALID_STATE'] },
        ...risk,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'updatePolicy',
        summary: 'Replace the document of a draft (published policies are frozen)',
        params: idParams,
        body: updatePolicyBody,
        response: { 200: policySchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) =>
          service.updateDraft(
            commandContext(request, deps.clock),
            request.params.id,
            request.body.document,
            tx,
          ),
      }),
  );
  r.get(
    '/v1/policies/:id/diff',
    {
      config: { ...readers, errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags,
        operationId: 'diffPolicy',
        summary: 'What changed, field by field, from `against` to this policy',
        params: idParams,
        querystring: z.strictObject({ against: z.string().min(1).max(64) }),
        response: { 200: diffSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => service.diffPolicies(deps, request.params.id, request.query.against),
  );
  r.post(
    '/v1/policies/:id/validate',
    {
      config: { errors: { 404: ['NOT_FOUND'] }, ...readers, idempotency: 'optional' },
      schema: {
        tags,
        operationId: 'validatePolicy',
        summary: 'Every problem of the document at once, each with its path',
        params: idParams,
        response: { 200: validationResultSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({ status: 200, read: () => service.validateStored(deps, request.params.id) }),
  );
  r.post(
    '/v1/policies/:id/publish',
    {
      config: {
        errors: {
          403: ['FORBIDDEN'],
          404: ['NOT_FOUND'],
          409: ['INVALID_STATE'],
          422: ['POLICY_INVALID'],
        },
        ...risk,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'publishPolicy',
        summary:
          'Publish a valid draft (four eyes: not by its author); a published policy is frozen',
        params: idParams,
        response: { 200: policySchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => service.publish(commandContext(request, deps.clock), request.params.id, tx),
      }),
  );
  r.post(
    '/v1/policies/:id/activate',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['ALREADY_ACTIVE', 'INVALID_STATE'] },
        ...risk,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'activatePolicy',
        summary: 'Make a published policy the champion, or the challenger on a share of traffic',
        params: idParams,
        body: activateBody,
        response: { 200: policySchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) =>
          service.activate(
            commandContext(request, deps.clock),
            request.params.id,
            request.body,
            tx,
          ),
        afterCommit: () => deps.policies.invalidate(),
      }),
  );
  r.post(
    '/v1/policies/:id/deactivate',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['CHAMPION_REQUIRED', 'INVALID_STATE'] },
        ...risk,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'deactivatePolicy',
        summary: 'Stop the challenger: all traffic goes back to the champion',
        params: idParams,
        response: { 200: policySchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => service.deactivate(commandContext(request, deps.clock), request.params.id, tx),
        afterCommit: () => deps.policies.invalidate(),
      }),
  );
}
