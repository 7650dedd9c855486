import { buildSnapshots, SNAPSHOTS_ENV } from './pglite-snapshots';

/** jest globalSetup: the PGlite snapshots every test file starts from (not on PostgreSQL). */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const dir = await buildSnapshots();
  // Workers are started after this and inherit the environment; globalTeardown removes it.
  process.env[SNAPSHOTS_ENV] = dir;
  (globalThis as { mlaSnapshotsDir?: string }).mlaSnapshotsDir = dir;
}
