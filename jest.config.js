/** Jest: @swc/jest transpiles (types are checked by `tsc --noEmit`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // fastify.inject pulls ESM-only `cookie` on Node 20: let swc transform it.
  transformIgnorePatterns: ['/node_modules/(?!(cookie)/)'],
  testTimeout: 30000,
};
