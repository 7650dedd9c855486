import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { connect } from '../../src/db/connect';

/**
 * PGlite data directories made once per jest run (globalSetup), so that a test file's database
 * starts from a tarball (about half a second) instead of initdb (two to three seconds under
 * load, several times per file). `empty` is a fresh initdb, for the migration tests, which
 * still migrate for real; `migrated` has every migration applied by the service's own runner.
 * The default policy is not in the snapshot: each test database installs it itself, at its
 * own time, as before.
 */
export const SNAPSHOTS_ENV = 'MLA_TEST_PGLITE_SNAPSHOTS';

export type SnapshotName = 'empty' | 'migrated';

const file = (dir: string, name: SnapshotName) => path.join(dir, `${name}.tar`);

export async function buildSnapshots(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mla-test-pglite-'));
  const fresh = new PGlite();
  await fresh.waitReady;
  const empty = await fresh.dumpDataDir('none');
  await fresh.close();
  writeFileSync(file(dir, 'empty'), Buffer.from(await empty.arrayBuffer()));

  // Migrated through connect() and Database.migrate(), exactly as the service migrates, in a
  // folder (connect() keeps its PGlite to itself), which a plain PGlite then dumps.
  const onDisk = path.join(dir, 'migrated-data');
  const seeded = new PGlite(onDisk, { loadDataDir: empty });
  await seeded.waitReady;
  await seeded.close();
  const migratedDb = await connect({ dataDir: onDisk });
  await migratedDb.migrate();
  await migratedDb.close();
  const migrated = new PGlite(onDisk);
  await migrated.waitReady;
  await migrated.exec('checkpoint');
  const tarball = await migrated.dumpDataDir('none');
  await migrated.close();
  writeFileSync(file(dir, 'migrated'), Buffer.from(await tarball.arrayBuffer()));
  rmSync(onDisk, { recursive: true, force: true });
  return dir;
}

const loaded = new Map<SnapshotName, Blob>();

/** The snapshot as a Blob for `connect({ loadDataDir })`, or undefined outside a jest run. */
export function snapshot(name: SnapshotName): Blob | undefined {
  const dir = process.env[SNAPSHOTS_ENV];
  if (!dir) return undefined;
  let blob = loaded.get(name);
  if (!blob) {
    blob = new Blob([readFileSync(file(dir, name))]);
    loaded.set(name, blob);
  }
  return blob;
}
