/**
 * The bare reference for `npm run bench:api`: a minimal Fastify route doing one transaction
 * with two INSERTs on the same database (four round trips: BEGIN, INSERT, INSERT, COMMIT).
 * Plain JavaScript run by `node` itself, as the service runs its build: neither side pays for a
 * TypeScript loader.
 */
const Fastify = require('fastify');
const { Pool } = require('pg');

async function main() {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_MAX ?? 20),
  });
  await pool.query(
    'create table if not exists bench_ref_applications (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())',
  );
  await pool.query(
    'create table if not exists bench_ref_events (id bigserial primary key, application_id bigint not null, created_at timestamptz not null default now())',
  );
  const app = Fastify({ logger: false });
  app.post('/ref', async (request, reply) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query(
        'insert into bench_ref_applications (body) values ($1) returning id',
        [request.body],
      );
      await client.query('insert into bench_ref_events (application_id) values ($1)', [rows[0].id]);
      await client.query('commit');
      return reply.status(201).send({ id: rows[0].id });
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.on('SIGTERM', async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
