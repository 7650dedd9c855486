/**
 * Captures the OpenAPI document's examples (`npm run openapi:examples`): runs the scenario in
 * scripts/examples/scenario.ts on a fresh embedded database seeded with the demo data and
 * writes each operation's request and answer to openapi/examples.json. Fails when a step does
 * not get the status the scenario documents. Then run `npm run openapi`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from '../src/db/connect';
import { ensureDefaultPolicy } from '../src/db/seed';
import { type DocumentedExample, documentedExamples } from './examples/document';
import { runScenario } from './examples/run';
import { SCENARIO_NOW } from './examples/scenario';

const OUT = path.resolve(__dirname, '../openapi/examples.json');

async function main() {
  const database = await connect({ dataDir: 'memory' });
  try {
    await database.migrate();
    await ensureDefaultPolicy(database.db, SCENARIO_NOW);
    const results = await runScenario(database);
    const wrong = results.filter((r) => r.status !== r.step.status);
    if (wrong.length > 0) {
      for (const r of wrong)
        process.stderr.write(
          `${r.step.operationId} ${r.url}: ${r.status}, documented ${r.step.status}: ${JSON.stringify(r.response).slice(0, 500)}\n`,
        );
      process.exit(1);
    }
    const examples: Record<string, DocumentedExample> = documentedExamples(results);
    writeFileSync(OUT, `${JSON.stringify(examples, null, 2)}\n`);
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), OUT)} (${Object.keys(examples).length} operations)\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
