import { connect } from '../../src/db/connect';
import { apiKeys } from '../../src/db/schema';
import { createTestDatabase, usingPostgres } from '../helpers/test-database';

describe('migrations', () => {
  it('are idempotent: a second run changes nothing', async () => {
    const t = await createTestDatabase();
    await expect(t.database.migrate()).resolves.toBeUndefined();
    await t.dispose();
  });

  (usingPostgres ? it : it.skip)(
    'run safely from several instances at once (advisory lock)',
    async () => {
      // An empty database, migrated by four "instances" starting together.
      const t = await createTestDatabase({ migrate: false });
      const instances = await Promise.all(
        [0, 1, 2, 3].map(() => connect({ url: t.url, poolMax: 2 })),
      );
      await Promise.all(instances.map((d) => d.migrate()));
      await Promise.all(instances.map((d) => d.close()));
      await expect(t.database.db.select().from(apiKeys)).resolves.toEqual([]);
      await t.dispose();
    },
  );
});
