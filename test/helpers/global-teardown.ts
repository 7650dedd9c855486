import { rmSync } from 'node:fs';
import { SNAPSHOTS_ENV } from './pglite-snapshots';

/** jest globalTeardown: removes the snapshots globalSetup made. */
export default async function globalTeardown(): Promise<void> {
  const dir = (globalThis as { mlaSnapshotsDir?: string }).mlaSnapshotsDir;
  if (!dir) return;
  rmSync(dir, { recursive: true, force: true });
  delete process.env[SNAPSHOTS_ENV];
}
