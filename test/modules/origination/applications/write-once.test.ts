/**
 * Issue #11 item 3, a submission writes each fact once: its idempotency row keeps a reference
 * (the answer is rebuilt from the application, decision and offers byte for byte, even after
 * they changed), offers keep no copy of the schedule their decision proposed, and the audit
 * trail gets one row. Answers and offers stored before migration 0011 still replay as they were.
 */
import { sql } from 'drizzle-orm';
import { chinaDate, dueDates } from '../../../../src/credit';
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  applicationBody,
  createMerchants,
  decline,
  events,
  MJY,
  offerOf,
  strongSurvey,
  submit,
} from './helpers';

describe('a submission written once', () => {
  let t: TestApp;
  let officer: string;
  const rows = async <T>(q: ReturnType<typeof sql>) =>
    ((await t.testDb.database.db.execute(q)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
  });
  afterAll(() => t.close());

  it('stores a reference, not the answer, and replays it byte for byte after the offers moved on', async () => {
    const body = applicationBody('mer_demo_mjy01', strongSurvey());
    const first = await submit(t, officer, body, 'once-1');
    expect(first.status).toBe(201);
    const [stored] = await rows<{ body: unknown; ref: { kind: string } }>(
      sql`select response_body as body, response_ref as ref from idempotency_keys where key = 'once-1'`,
    );
    expect(stored?.body).toBeNull();
    expect(stored?.ref.kind).toBe('application');
    expect(JSON.stringify(stored?.ref).length).toBeLessThan(120);

    const chosen = offerOf(first.body, 'operator_guarantee');
    expect((await accept(t, officer, chosen.id)).status).toBe(200);
    const again = await submit(t, officer, body, 'once-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
  });

  it('keeps the schedule once, in the decision: the accepted offer shows what was offered', async () => {
    const res = await submit(t, officer, applicationBody('mer_demo_mjy02', strongSurvey()));
    const app = res.body as ApplicationBody;
    const offer = offerOf(app, 'operator_guarantee');
    const [row] = await rows<{ schedule: unknown }>(
      sql`select schedule from offers where id = ${offer.id}`,
    );
    expect(row?.schedule).toBeNull();
    const before = chinaDate(new Date());
    await accept(t, officer, offer.id).expect(200);
    const after = chinaDate(new Date());
    const read = await t.http.get(`/v1/offers/${offer.id}`).set(bearer(officer));
    // The same instalments, now with their due dates from the day of acceptance.
    const withoutDates = (rows: Record<string, unknown>[]) =>
      rows.map(({ dueDate: _d, ...r }) => r);
    expect(withoutDates(read.body.schedule)).toEqual(withoutDates(offer.schedule));
    expect(read.body.schedule.length).toBe(offer.termMonths);
    expect(offer.schedule.every((r) => r.dueDate === null)).toBe(true);
    // Instalment k due k months after the day of acceptance (China time).
    const due = read.body.schedule.map((r: { dueDate: string }) => r.dueDate);
    expect([dueDates(before, offer.termMonths), dueDates(after, offer.termMonths)]).toContainEqual(
      due,
    );
  });

  it('writes one audit row per submission; the trail lists the same events as before', async () => {
    const res = await submit(t, officer, applicationBody('mer_demo_mjy03', strongSurvey()));
    const app = res.body as ApplicationBody;
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where entity_id = ${app.id} or entity_id in (select id from offers where application_id = ${app.id})`,
    );
    expect(count?.n).toBe(1);
    const trail = await events(t, officer, app.id);
    expect(trail.map((e) => `${e.entityType}:${e.action}`)).toEqual([
      'application:application.submitted',
      `application:application.${app.status}`,
      ...app.offers.map(() => 'offer:offer.offered'),
    ]);
    expect(trail[1]?.data).toEqual({
      decisionId: app.decision.id,
      outcome: app.decision.outcome,
      score: app.decision.score,
      policyVersion: app.decision.policyVersion,
      arm: 'champion',
    });
  });

  it('replays a group member as answered, though its group was decided afterwards', async () => {
    const ids = await createMerchants(t, 3);
    const group = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: ids });
    expect(group.status).toBe(201);
    const joint = (merchantId: string) =>
      applicationBody(merchantId, strongSurvey(), {
        product: 'joint_guarantee',
        guaranteeGroupId: group.body.id,
        amount: 20_000_000,
        termMonths: 12,
      });
    const first = await submit(t, officer, joint(ids[0] as string), 'grp-once-1');
    expect(first.status).toBe(201);
    expect(first.body.offers[0].status).toBe('pending');
    for (const id of ids.slice(1)) expect((await submit(t, officer, joint(id))).status).toBe(201);
    const now = await t.http.get(`/v1/applications/${first.body.id}`).set(bearer(officer));
    expect(now.body.offers[0].status).not.toBe('pending');
    const again = await submit(t, officer, joint(ids[0] as string), 'grp-once-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
  });

  it('writes one audit row per command: an acceptance, and a group member declining', async () => {
    const lastSeq = async () =>
      (await rows<{ n: number }>(sql`select coalesce(max(seq), 0)::int as n from audit_events`))[0]
        ?.n ?? 0;
    const written = async (since: number) =>
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from audit_events where seq > ${since}`,
        )
      )[0]?.n;

    // An acceptance: the offer accepted, its sibling withdrawn, the application accepted.
    const res = await submit(t, officer, applicationBody('mer_demo_mjy05', strongSurvey()));
    const app = res.body as ApplicationBody;
    expect(app.offers.length).toBeGreaterThan(1);
    const [chosen, ...others] = app.offers as ApplicationBody['offers'];
    let before = await lastSeq();
    expect((await accept(t, officer, (chosen as { id: string }).id)).status).toBe(200);
    expect(await written(before)).toBe(1);
    const trail = (await events(t, officer, app.id)).map((e) => `${e.entityId}:${e.action}`);
    expect(trail.slice(-(others.length + 2))).toEqual([
      `${chosen?.id}:offer.accepted`,
      ...others.map((o) => `${o.id}:offer.withdrawn`),
      `${app.id}:application.accepted`,
    ]);

    // A member declines: the group is dissolved and the others' offers withdrawn, in one row;
    // each member's trail shows its own part of it.
    const ids = await createMerchants(t, 3);
    const group = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: ids });
    const members: ApplicationBody[] = [];
    for (const id of ids) {
      const body = applicationBody(id, strongSurvey(), {
        product: 'joint_guarantee',
        guaranteeGroupId: group.body.id,
        amount: 20_000_000,
        termMonths: 12,
      });
      members.push((await submit(t, officer, body)).body as ApplicationBody);
    }
    const offerOfMember = async (a: ApplicationBody) =>
      (await t.http.get(`/v1/applications/${a.id}`).set(bearer(officer))).body.offers[0] as {
        id: string;
        status: string;
      };
    const [first, second] = members as [ApplicationBody, ApplicationBody];
    const firstOffer = await offerOfMember(first);
    expect(firstOffer.status).toBe('offered');
    before = await lastSeq();
    expect((await decline(t, officer, firstOffer.id)).status).toBe(200);
    expect(await written(before)).toBe(1);
    const secondOffer = await offerOfMember(second);
    expect(secondOffer.status).toBe('withdrawn');
    const secondTrail = await events(t, officer, second.id);
    expect(secondTrail.at(-1)).toMatchObject({
      entityId: secondOffer.id,
      action: 'offer.withdrawn',
    });
    expect(secondTrail.every((e) => e.entityId !== firstOffer.id)).toBe(true);
    const firstTrail = await events(t, officer, first.id);
    expect(
      firstTrail.some((e) => e.entityId === firstOffer.id && e.action === 'offer.declined'),
    ).toBe(true);
  });

  it('keeps a decision in its own row, compressed: nothing goes to the TOAST table (migration 0018)', async () => {
    const toastRows = async () => {
      const [r] = await rows<{ toast: string }>(
        sql`select reltoastrelid::regclass::text as toast from pg_class where relname = 'decisions'`,
      );
      const [n] = await rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${r?.toast}`));
      return n?.n;
    };
    const before = await toastRows();
    const res = await submit(t, officer, applicationBody('mer_demo_mjy06', strongSurvey()));
    expect(res.status).toBe(201);
    const [stored] = await rows<{ raw: number; compression: string | null }>(
      sql`select octet_length(result::text) as raw, pg_column_compression(result) as compression
          from decisions where application_id = ${res.body.id}`,
    );
    // The explained result is several KB as text: over the size at which PostgreSQL would
    // move it (or, with only it kept in the row, the short ids) out of line.
    expect(stored?.raw).toBeGreaterThan(2500);
    expect(stored?.compression).toBe('pglz');
    expect(await toastRows()).toBe(before);
  });

  it('replays an answer stored whole before migration 0011, and an offer keeping its own schedule', async () => {
    const body = applicationBody('mer_demo_mjy04', strongSurvey());
    const first = await submit(t, officer, body, 'old-1');
    const app = first.body as ApplicationBody;
    // As rows were written before: the whole answer in the key, a copy of each schedule on its offer.
    await t.testDb.database.db.execute(
      sql`update idempotency_keys set response_body = ${JSON.stringify(app)}::jsonb, response_ref = null where key = 'old-1'`,
    );
    const offer = app.offers[0] as ApplicationBody['offers'][number];
    const ownCopy = offer.schedule.map((r) => ({ ...r }));
    await t.testDb.database.db.execute(
      sql`update offers set schedule = ${JSON.stringify(ownCopy)}::jsonb where id = ${offer.id}`,
    );
    await t.testDb.database.db.execute(
      sql`update decisions set result = jsonb_set(result, '{offers,0,schedule}', '[]'::jsonb) where id = ${app.decision.id}`,
    );
    const again = await submit(t, officer, body, 'old-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    // A whole answer comes back from jsonb with the keys of `metrics` reordered, as it did before.
    expect(again.body).toEqual(first.body);
    const read = await t.http.get(`/v1/offers/${offer.id}`).set(bearer(officer));
    expect(read.body.schedule).toEqual(ownCopy);
  });
});
