import { sql } from 'drizzle-orm';
import type { Database, Db, NamedStatement } from './connect';

/**
 * Where a hand-written statement runs: on its own (the hot path: a named prepared statement,
 * atomic by itself) or inside a command's transaction (the same text, sent with `tx`).
 */
export interface StatementWriter {
  /** Reads that belong with the write: the pool outside a transaction, `tx` inside. */
  db: Db;
  /** Inside a transaction: re-reads lock what they read. */
  inTransaction: boolean;
  run<T>(statement: NamedStatement, values: unknown[]): Promise<T[]>;
}

export const alone = (database: Database): StatementWriter => ({
  db: database.db,
  inTransaction: false,
  run: (statement, values) => database.run(statement, values),
});

/** The statement's $1..$n as drizzle parameters, so `tx` can send it. */
function withParams(text: string, values: unknown[]) {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1]))),
  );
}

export const within = (tx: Db): StatementWriter => ({
  db: tx,
  inTransaction: true,
  async run<T>(statement: NamedStatement, values: unknown[]) {
    const result = (await tx.execute(withParams(statement.text, values))) as unknown as {
      rows: T[];
    };
    return result.rows;
  },
});
