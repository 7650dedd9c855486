/**
 * `npx tsx test/bench/statement-cost.ts`: what PostgreSQL spends on the hot path's decision
 * statement (`record_decision`), split into the part every execution pays whatever it writes
 * (binding, plan start-up of its CTEs, the gate, protocol) and the part its rows cost. The first
 * is what a micro-batched write (several requests' rows in one statement) would share; the
 * second it would not. Not a test: it prints figures (issue #11).
 *
 * The survey sample's 200 applications are submitted through the app in-process and their
 * statements captured; the written rows are then removed, and each statement is executed again
 * on one connection, measuring that backend's CPU time (/proc, Linux):
 *   - "full": as captured, in a transaction rolled back (so it can be repeated; no commit);
 *   - "nothing written": the same statement with its idempotency claim not held, so every gate
 *     is false and it writes nothing, but binds, starts and runs the same plan.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { NamedStatement } from '../../src/db/connect';
import { dropDatabase, sampleApp, sampleDatabase } from './sample-database';

const PASSES = Number(process.env.PASSES ?? 5);
/** Times each pass goes over the 200 statements: the backend's clock ticks are 10 ms. */
const REPEAT = Number(process.env.REPEAT ?? 5);

/** The backend's user+system CPU in ms (clock ticks of 10 ms: hence many statements per figure). */
function backendCpuMs(pid: number) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function main() {
  const name = `mla_statement_cost_${process.pid}`;
  try {
    const { url, database } = await sampleDatabase(name);
    const captured: { statement: NamedStatement; values: unknown[] }[] = [];
    const run = database.run.bind(database);
    database.run = (statement, values) => {
      if (statement.name.startsWith('record_decision')) captured.push({ statement, values });
      return run(statement, values);
    };
    const { app, bodies, submit } = await sampleApp(database);
    for (const [i, body] of bodies.entries()) await submit(body, `stmt-${i}`);
    await app.close();
    await database.close();

    const c = new Client({ connectionString: url });
    await c.connect();
    // Back to the state the statements were decided against.
    await c.query(`truncate applications, decisions, offers, audit_events, events, idempotency_keys,
      exposure_ledger cascade`);
    await c.query('update operators set reserved = 0');
    const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const claimAt = captured[0]?.statement.text.match(/\$(\d+)::text <> 'claimed'/)?.[1];
    if (!claimAt) throw new Error('the statement has no claim gate');
    const notHeld = (values: unknown[]) => {
      const v = [...values];
      v[Number(claimAt) - 1] = 'claimed';
      v[Number(claimAt)] = 'no-such-key-owner';
      return v;
    };
    const exec = (s: { statement: NamedStatement }, values: unknown[]) =>
      c.query({ name: s.statement.name, text: s.statement.text, values });

    const measure = async (label: string, one: (s: (typeof captured)[number]) => Promise<void>) => {
      const perStatement: number[] = [];
      for (let pass = 0; pass < PASSES; pass++) {
        const cpu0 = backendCpuMs(pid);
        for (let r = 0; r < REPEAT; r++) for (const s of captured) await one(s);
        perStatement.push(((backendCpuMs(pid) - cpu0) * 1000) / (REPEAT * captured.length));
      }
      perStatement.sort((a, b) => a - b);
      const least = perStatement[0] ?? 0;
      console.log(
        `${label.padEnd(34)} least ${least.toFixed(0).padStart(5)} µs, median ${perStatement[Math.floor(PASSES / 2)]?.toFixed(0).padStart(5)} µs`,
      );
      return least;
    };

    // Warm the plan cache (generic plan after five executions) and the buffers.
    for (const s of captured.slice(0, 10)) await exec(s, notHeld(s.values));
    console.log(
      `record_decision on PostgreSQL, ${captured.length} captured statements, ${PASSES} passes, backend CPU per statement:`,
    );
    const empty = await measure('BEGIN + ROLLBACK alone', async () => {
      await c.query('begin');
      await c.query('rollback');
    });
    const nothing = await measure('nothing written', async (s) => {
      await exec(s, notHeld(s.values));
    });
    const full = await measure('full, in a rolled-back transaction', async (s) => {
      await c.query('begin');
      await exec(s, s.values);
      await c.query('rollback');
    });
    const rows = full - empty - nothing;
    console.log(
      `shared by a batch: ${nothing.toFixed(0)} µs (${((100 * nothing) / (full - empty)).toFixed(0)}%), the rows: ${rows.toFixed(0)} µs`,
    );
    for (const k of [4, 8, 16])
      console.log(
        `  k=${k} per statement: at most ${(100 * (1 - (rows + nothing / k) / (rows + nothing))).toFixed(0)}% less of this statement's CPU`,
      );
    await c.end();
  } finally {
    await dropDatabase(name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
