/** Jest: @swc/jest transpiles (types are checked by `tsc --noEmit`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // fastify.inject and @fastify/static pull ESM-only packages on Node 20: let swc transform them.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition)/)'],
  testTimeout: 30000,
  // Jest's default is one worker less than the cores, and one worker means in band: on 2 cores
  // all 84 files ran in the jest process itself, its heap growing ~16 MB a file to over 1 GB,
  // each file slower than the last. A worker per core, replaced between files past this heap.
  maxWorkers: '100%',
  workerIdleMemoryLimit: '400MB',
  // PGlite: one initdb and one migration per run, not per test file (test/helpers/pglite-snapshots.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
};
