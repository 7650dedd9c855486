/**
 * The intended arrows (docs/architecture.md): modules -> credit, db, lib, platform;
 * platform -> db, lib; credit imports nothing of the project but itself; db and lib never
 * import platform or modules; no cycles. `npm run check:arrows` (and CI) fails on a violation.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes the load order fragile and the layers meaningless.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'credit-is-pure',
      severity: 'error',
      comment: 'src/credit is the pure model: no project code outside it, no I/O libraries.',
      from: { path: '^src/credit/' },
      to: {
        pathNot: ['^src/credit/', '^node_modules/zod/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'credit-no-node-io',
      severity: 'error',
      comment: 'No file system, network, process or clock modules in the credit model.',
      from: { path: '^src/credit/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'db-and-lib-below-platform',
      severity: 'error',
      comment: 'db and lib sit below platform and the modules.',
      from: { path: '^src/(db|lib)/' },
      to: { path: '^src/(platform|modules|app\\.ts|server\\.ts|worker\\.ts)' },
    },
    {
      name: 'platform-below-modules',
      severity: 'error',
      comment: 'Cross-cutting plugins do not depend on a feature module.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules/|app\\.ts|server\\.ts|worker\\.ts)' },
    },
    {
      name: 'idempotency-belongs-to-the-platform',
      severity: 'error',
      comment:
        'Use cases return views; the command runner (platform/command.ts) claims, stores and replays Idempotency-Keys.',
      from: { path: '^src/', pathNot: '^src/(platform/|app\\.ts$)' },
      to: { path: '^src/platform/idempotency(-releases)?\\.ts$' },
    },
    {
      name: 'nothing-imports-the-entry-points',
      severity: 'error',
      comment:
        'app.ts, server.ts and worker.ts compose the processes; nothing below may import them.',
      from: { path: '^src/', pathNot: '^src/server\\.ts$' },
      to: { path: '^src/(app|server|worker)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|test|scripts)/' },
  },
};
