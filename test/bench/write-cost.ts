/**
 * `npx tsx test/bench/write-cost.ts`: what one application writes in PostgreSQL. Submits the
 * survey sample's 200 merchants (in-process app, one connection) in rounds on a scratch
 * database and prints, per application: WAL bytes (the server's LSN before and after a round:
 * the server is shared, so the least of the rounds is the figure, the others show the noise),
 * rows inserted and updated per table, and index entries written (per index: a row inserted,
 * or updated without HOT, adds one entry to each index whose predicate it meets). Not a test.
 */
import { dropDatabase, query, sampleApp, sampleDatabase } from './sample-database';

const ROUNDS = Number(process.env.ROUNDS ?? 5);

interface TableStat {
  relname: string;
  ins: number;
  upd: number;
  hot: number;
}

async function tableStats(url: string): Promise<Map<string, TableStat>> {
  // A backend flushes its counters at most once a second while busy, and within 10 s once idle
  // (PostgreSQL 15's PGSTAT_IDLE_INTERVAL): waiting less undercounts the round's last writes.
  await new Promise((r) => setTimeout(r, 11_000));
  // A value still over ~2 KB after compression goes out of line: a TOAST row (and its index
  // entry) per chunk, counted here as "<table> TOAST".
  const rows = await query<TableStat>(
    url,
    `select coalesce(owner.relname || ' TOAST', s.relname) as relname, s.n_tup_ins::int as ins,
            s.n_tup_upd::int as upd, s.n_tup_hot_upd::int as hot
     from pg_stat_all_tables s
     left join pg_class owner on owner.reltoastrelid = s.relid and s.schemaname = 'pg_toast'
     where s.schemaname = 'public' or (s.schemaname = 'pg_toast' and owner.relnamespace = 'public'::regnamespace)`,
  );
  return new Map(rows.map((r) => [r.relname, r]));
}

/** Index entries a round added: per index, rows inserted or moved (non-HOT) meeting its predicate. */
async function indexEntries(
  url: string,
  before: Map<string, TableStat>,
  after: Map<string, TableStat>,
) {
  const indexes = await query<{ table: string; index: string; predicate: string | null }>(
    url,
    `select t.relname as table, i.relname as index, pg_get_expr(x.indpred, x.indrelid) as predicate
     from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
     join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public'`,
  );
  let total = 0;
  const perTable = new Map<string, number>();
  // Each TOAST chunk row is one entry in its TOAST table's index.
  for (const [table, a] of after) {
    if (!table.endsWith(' TOAST')) continue;
    const n = a.ins - (before.get(table)?.ins ?? 0);
    if (n === 0) continue;
    total += n;
    perTable.set(table, n);
  }
  for (const ix of indexes) {
    const a = after.get(ix.table);
    const b = before.get(ix.table);
    if (!a || !b) continue;
    const moved = a.ins - b.ins + (a.upd - a.hot - (b.upd - b.hot));
    if (moved === 0) continue;
    // A partial index: assume the share of the table's rows meeting the predicate.
    let share = 1;
    if (ix.predicate) {
      const [r] = await query<{ meet: number; all: number }>(
        url,
        `select count(*) filter (where ${ix.predicate})::int as meet, count(*)::int as all from ${ix.table}`,
      );
      share = r && r.all > 0 ? r.meet / r.all : 0;
    }
    total += moved * share;
    perTable.set(ix.table, (perTable.get(ix.table) ?? 0) + moved * share);
  }
  return { total, perTable };
}

async function main() {
  const name = `mla_write_cost_${process.pid}`;
  try {
    const { url, database } = await sampleDatabase(name);
    const { app, bodies, submit } = await sampleApp(database);

    const wal: number[] = [];
    let rowsLine = '';
    let indexLine = '';
    let statuses = new Map<number, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const before = await tableStats(url);
      const [lsn0] = await query<{ lsn: string }>(url, 'select pg_current_wal_insert_lsn() as lsn');
      statuses = new Map();
      for (const [i, body] of bodies.entries()) {
        const res = await submit(body, `cost-${round}-${i}`);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }
      const [w] = await query<{ bytes: string }>(
        url,
        `select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '${lsn0?.lsn}') as bytes`,
      );
      wal.push(Number(w?.bytes) / bodies.length);
      const after = await tableStats(url);
      const per = (x: number) => (x / bodies.length).toFixed(2);
      let rows = 0;
      const parts: string[] = [];
      for (const [table, a] of after) {
        const b = before.get(table);
        const n = a.ins - (b?.ins ?? 0) + (a.upd - (b?.upd ?? 0));
        if (n === 0) continue;
        rows += n;
        parts.push(`${table} ${per(n)}`);
      }
      rowsLine = `${per(rows)} (${parts.join(', ')})`;
      const entries = await indexEntries(url, before, after);
      indexLine = `${per(entries.total)} (${[...entries.perTable].map(([t, n]) => `${t} ${per(n)}`).join(', ')})`;
    }
    const sizes = await query<{ t: string; bytes: number }>(
      url,
      `select 'applications' as t, avg(pg_column_size(x.*))::int as bytes from applications x
       union all select 'applications.survey', avg(pg_column_size(survey))::int from applications
       union all select 'decisions', avg(pg_column_size(x.*))::int from decisions x
       union all select 'decisions.result', avg(pg_column_size(result))::int from decisions
       union all select 'decisions.context', avg(pg_column_size(context))::int from decisions
       union all select 'offers', avg(pg_column_size(x.*))::int from offers x
       union all select 'audit_events', avg(pg_column_size(x.*))::int from audit_events x where entity_id like 'app_%'
       union all select 'idempotency_keys', avg(pg_column_size(x.*))::int from idempotency_keys x
       union all select 'events', avg(pg_column_size(x.*))::int from events x`,
    );
    await app.close();
    await database.close();
    console.log(
      `stored bytes per row (compressed as stored): ${sizes.map((r) => `${r.t} ${r.bytes}`).join(', ')}`,
    );
    const sorted = [...wal].sort((a, b) => a - b);
    console.log(`applications per round: ${bodies.length}, rounds: ${ROUNDS}`);
    console.log(`answers: ${[...statuses].map(([s, n]) => `${s} x${n}`).join(', ')}`);
    console.log(
      `WAL bytes per application: least ${sorted[0]?.toFixed(0)}, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} (all: ${wal.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(`rows written per application: ${rowsLine}`);
    console.log(`index entries per application: ${indexLine}`);
  } finally {
    await dropDatabase(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
