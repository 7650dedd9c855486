import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { connect } from './db/connect';
import { ensureDefaultPolicy, seedDemoData } from './db/seed';
import { createWebhookWorker } from './modules/webhooks/worker';

/** Process entry: config, database, migrations, seed, listen, graceful shutdown. */
async function main() {
  const startedAt = performance.now();
  const config = loadConfig();
  const database = await connect({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    migrationUrl: config.DATABASE_MIGRATION_URL,
  });
  await database.migrate();
  await ensureDefaultPolicy(database.db, new Date());

  const seedDemo =
    config.SEED_DEMO === 'true' || (config.SEED_DEMO === 'auto' && database.kind === 'pglite');
  const seeded = seedDemo
    ? await seedDemoData(database.db, {
        clock: () => new Date(),
        piiDigestKey: config.PII_DIGEST_KEY,
        demoKeys: database.kind === 'pglite' && !config.ADMIN_API_KEY,
      })
    : { seeded: false, keys: [] };

  const app = await buildApp({ config, database });
  // Webhook deliveries from this process too, unless only `npm run worker` processes send them.
  const webhooks =
    config.WEBHOOK_WORKER === 'on'
      ? createWebhookWorker({ db: database.db, config, log: app.log.child({ job: 'webhooks' }) })
      : null;
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await Promise.all([app.close(), webhooks?.stop()]);
    await database.close();
  });

  await app.listen({ host: config.HOST, port: config.PORT });
  webhooks?.start();
  app.log.info(
    {
      database: database.kind,
      seeded: seeded.seeded,
      startMs: Math.round(performance.now() - startedAt),
    },
    'merchant lending API ready',
  );
  if (seeded.keys.length > 0) {
    // Printed once, on the first start, to the terminal only: keys are never logged.
    const lines = seeded.keys.map((k) => `  ${k.role.padEnd(9)} ${k.secret}`);
    process.stdout.write(
      `\nDemo API keys (shown once; send as "Authorization: Bearer <key>"):\n${lines.join('\n')}\n\n`,
    );
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
