/**
 * The invariants a half-written submission would break, checked straight in the database after
 * a fault. Not a test file: jest only runs *.test.ts.
 */
interface Queryable {
  query(text: string): Promise<{ rows: unknown[] }>;
}

/** Every invariant a half-written submission would break; each query lists the offenders. */
export async function inconsistencies(db: Queryable): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await db.query(text)).rows;
  return {
    applicationsWithoutExactlyOneModelDecision: await q(`
      select a.id, count(d.id)::int as decisions from applications a
      left join decisions d on d.application_id = a.id and d.source = 'model'
      group by a.id having count(d.id) <> 1`),
    decisionsWithoutApplication: await q(`
      select d.id from decisions d left join applications a on a.id = d.application_id
      where a.id is null`),
    offersWithoutApplicationOrDecision: await q(`
      select o.id from offers o
      left join applications a on a.id = o.application_id
      left join decisions d on d.id = o.decision_id and d.application_id = o.application_id
      where a.id is null or d.id is null`),
    operatorsOutOfBalance: await q(`
      select op.id, op.reserved, op.used, coalesce(sum(o.reserved_amount) filter
               (where o.status in ('offered', 'pending')), 0)::bigint as open,
             coalesce(sum(o.reserved_amount) filter (where o.status in ('accepted', 'booked')), 0)::bigint as taken
      from operators op left join offers o on o.operator_id = op.id
      group by op.id
      having op.reserved <> coalesce(sum(o.reserved_amount) filter (where o.status in ('offered', 'pending')), 0)
          or op.used <> coalesce(sum(o.reserved_amount) filter (where o.status in ('accepted', 'booked')), 0)`),
    storedAnswersWithoutApplication: await q(`
      select k.key from idempotency_keys k
      where k.path = '/v1/applications' and k.response_status = 201
        and not exists (select 1 from applications a
          where a.id = coalesce(k.response_body->>'id', k.response_ref->'ref'->>'a'))`),
    applicationsWithoutSubmittedAudit: await q(`
      select a.id from applications a where not exists (select 1 from audit_events e
        where e.entity_id = a.id and e.action = 'application.submitted')`),
  };
}

export const noInconsistencies = {
  applicationsWithoutExactlyOneModelDecision: [],
  decisionsWithoutApplication: [],
  offersWithoutApplicationOrDecision: [],
  operatorsOutOfBalance: [],
  storedAnswersWithoutApplication: [],
  applicationsWithoutSubmittedAudit: [],
};
