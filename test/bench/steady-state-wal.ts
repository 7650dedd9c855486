/**
 * `npx tsx test/bench/steady-state-wal.ts`: what one application writes to the WAL in a database
 * that has been taking applications for a while, not in a fresh one (`write-cost.ts`). Not a test:
 * it prints figures (issue #11).
 *
 * After a checkpoint, the first change to each page writes the whole page to the WAL (a full-page
 * image, up to 8 KB). A fresh database's indexes are a few pages, so `write-cost` sees almost
 * none. A database holding HISTORY applications (default 300,000) has indexes of thousands of
 * pages: an index whose keys are random (an id drawn at random) takes each new entry on a page
 * no earlier entry touched since the checkpoint, and pays a page image for it; an index whose keys
 * grow with time (a time-ordered id, a timestamp) takes them all on its last page.
 *
 * The history is the first round's rows copied HISTORY/200 times, each id mapped to a new one
 * drawn as the service draws its own (random, or older than today's when the service's ids are
 * time-ordered), with the large jsonb columns left empty: only the indexes matter here. Then, for
 * ROUNDS rounds: a checkpoint, 200 applications ("right after a checkpoint"), and 200 more ("pages
 * already written since").
 */
import { randomUUID } from 'node:crypto';
import { ID_SHAPE } from '../../src/lib/ids';
import { dropDatabase, query, sampleApp, sampleDatabase } from './sample-database';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const HISTORY = Number(process.env.HISTORY ?? 300_000);

/** Columns holding ids of the copied rows: mapped so that foreign keys still hold. */
const ID_COLUMNS = new Set(['id', 'application_id', 'decision_id', 'entity_id', 'object_id']);
/** Large values the indexes never see: left empty in the history to keep it quick to write. */
const EMPTIED = new Set(['survey', 'result', 'context', 'data', 'response_ref', 'response_body']);
const TABLES = [
  'applications',
  'decisions',
  'offers',
  'audit_events',
  'events',
  'idempotency_keys',
];

/**
 * An older id drawn like `id`: 20 random base64url characters, or, when the service's ids are
 * time-ordered, a time older than any new id's followed by random base32 characters.
 */
function historicId(column: string, ordered: boolean) {
  const digest = `decode(md5(${column} || '/' || g::text), 'hex')`;
  return ordered
    ? `left(${column}, 4) || '00' || substr(encode(${digest}, 'hex'), 1, 24)`
    : `left(${column}, 4) || left(translate(encode(${digest}, 'base64'), '+/', '-_'), 20)`;
}

async function fillHistory(url: string, copies: number, ordered: boolean) {
  for (const table of TABLES) {
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      `select column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name = '${table}' order by ordinal_position`,
    );
    const values = columns.map(({ column_name: c, data_type: type }) => {
      if (table === 'idempotency_keys' && c === 'key') return `md5(${c} || '/' || g::text)`;
      if (ID_COLUMNS.has(c) && type === 'text') return historicId(c, ordered);
      if (EMPTIED.has(c) && type === 'jsonb')
        return `case when ${c} is null then null else '{}'::jsonb end`;
      return c;
    });
    await query(
      url,
      `insert into ${table} select ${values.join(', ')} from ${table}, generate_series(1, ${copies}) g`,
    );
  }
  await query(url, `vacuum (analyze) ${TABLES.join(', ')}`);
}

interface WalMark {
  lsn: string;
  fpi: number;
}

/**
 * Where the WAL is, and the full-page images written so far. A backend reports its WAL counters
 * at most once a second while busy and within 10 s once idle: hence the wait.
 */
async function walMark(url: string): Promise<WalMark> {
  await new Promise((r) => setTimeout(r, 11_000));
  const [m] = await query<{ lsn: string; fpi: string }>(
    url,
    'select pg_current_wal_insert_lsn() as lsn, (select wal_fpi from pg_stat_wal) as fpi',
  );
  return { lsn: m?.lsn ?? '0/0', fpi: Number(m?.fpi) };
}

async function walBetween(url: string, a: WalMark, b: WalMark) {
  const [d] = await query<{ bytes: string }>(
    url,
    `select pg_wal_lsn_diff('${b.lsn}', '${a.lsn}') as bytes`,
  );
  return { bytes: Number(d?.bytes), fpi: b.fpi - a.fpi };
}

async function main() {
  const name = `mla_steady_wal_${process.pid}`;
  try {
    const { url, database } = await sampleDatabase(name);
    const { app, bodies, submit } = await sampleApp(database);
    const round = async () => {
      // Random keys, as clients draw them (UUIDs): their index stays random whatever our ids are.
      for (const body of bodies) await submit(body, randomUUID());
    };
    await round();
    const [first] = await query<{ id: string }>(url, 'select id from applications limit 1');
    const ordered = ID_SHAPE.test(first?.id ?? '');
    const started = Date.now();
    await fillHistory(url, Math.max(1, Math.round(HISTORY / bodies.length)), ordered);
    const [size] = await query<{ apps: number; indexes: string }>(
      url,
      `select (select count(*)::int from applications) as apps,
              pg_size_pretty(sum(pg_indexes_size(c.oid))) as indexes
       from pg_class c where c.relname in (${TABLES.map((t) => `'${t}'`).join(', ')})`,
    );
    console.log(
      `history: ${size?.apps} applications, their tables' indexes ${size?.indexes} (${ordered ? 'time-ordered' : 'random'} ids; filled in ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );

    const after: { bytes: number; fpi: number }[] = [];
    const later: { bytes: number; fpi: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await query(url, 'checkpoint');
      const checkpointed = await walMark(url);
      await round();
      const once = await walMark(url);
      await round();
      const twice = await walMark(url);
      after.push(await walBetween(url, checkpointed, once));
      later.push(await walBetween(url, once, twice));
    }
    await app.close();
    await database.close();
    const per = (x: number) => (x / bodies.length).toFixed(x / bodies.length < 10 ? 2 : 0);
    const show = (label: string, runs: { bytes: number; fpi: number }[]) => {
      const least = [...runs].sort((a, b) => a.bytes - b.bytes)[0] ?? { bytes: 0, fpi: 0 };
      console.log(
        `${label}: WAL ${per(least.bytes)} bytes and ${per(least.fpi)} full-page images per application (least of ${runs.length}; all: ${runs.map((x) => per(x.bytes)).join(', ')})`,
      );
    };
    show('right after a checkpoint', after);
    show('pages already written since', later);
  } finally {
    await dropDatabase(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
