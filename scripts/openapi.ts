/**
 * Writes openapi/openapi.json from the routes (`npm run openapi`), or with `--check` fails
 * when the committed file differs from what the routes produce (CI's drift check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { Database } from '../src/db/connect';

const OUT = path.resolve(__dirname, '../openapi/openapi.json');

/** The spec comes from route schemas alone: no database is opened. */
const noDatabase: Database = {
  db: undefined as unknown as Database['db'],
  kind: 'postgres',
  ping: async () => {},
  run: async () => [],
  migrate: async () => {},
  close: async () => {},
};

export async function renderOpenApi(): Promise<string> {
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database: noDatabase });
  await app.ready();
  const spec = app.swagger();
  await app.close();
  return `${JSON.stringify(spec, null, 2)}\n`;
}

async function main() {
  const rendered = await renderOpenApi();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OUT, 'utf8');
    if (committed !== rendered) {
      process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit it.\n');
      process.exit(1);
    }
    process.stdout.write('openapi/openapi.json matches the routes.\n');
    return;
  }
  writeFileSync(OUT, rendered);
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
