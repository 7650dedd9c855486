import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { connect } from './db/connect';
import { createWebhookWorker } from './modules/webhooks/worker';
import { REDACT_PATHS } from './platform/logging';

/**
 * The webhook delivery worker as its own process (`npm run worker`): as many as the load needs,
 * beside services started with WEBHOOK_WORKER=off or not. PostgreSQL only: an embedded PGlite
 * database belongs to the one process that opened it, whose own worker delivers.
 */
async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_URL: the worker process needs PostgreSQL (with the embedded database, the service delivers webhooks itself)',
    );
  }
  const log = pino({
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  }).child({ job: 'webhooks' });
  const database = await connect({
    url: config.DATABASE_URL,
    poolMax: Math.min(config.DATABASE_POOL_MAX, 5),
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    migrationUrl: config.DATABASE_MIGRATION_URL,
  });
  await database.migrate();
  const worker = createWebhookWorker({ db: database.db, config, log });
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'stopping after an error');
    else log.info({ signal }, 'stopping: finishing the deliveries in flight');
    await worker.stop();
    await database.close();
  });
  worker.start();
  log.info({ timeoutMs: config.WEBHOOK_TIMEOUT_MS }, 'webhook worker running');
}

main().catch((err) => {
  process.stderr.write(
    err instanceof ConfigError
      ? `${err.message}\n`
      : `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
