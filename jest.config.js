/**
 * One Jest run over every workspace. @swc/jest strips types (fast); `tsc -b` type-checks
 * separately. Workspace packages resolve to their sources so tests never need a build.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/core', '<rootDir>/adapters', '<rootDir>/plugins', '<rootDir>/admin-graphql', '<rootDir>/templates', '<rootDir>/bench'],
  testMatch: ['**/src/**/*.test.ts', '**/templates/**/*.test.ts', '**/bench/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: {
    '^@portcullis/core$': '<rootDir>/core/src/index.ts',
    '^@portcullis/core/testkit$': '<rootDir>/core/src/testkit/index.ts',
    '^@portcullis/adapter-(.*)$': '<rootDir>/adapters/$1/src/index.ts',
    '^@portcullis/plugin-(.*)$': '<rootDir>/plugins/$1/src/index.ts',
    '^@portcullis/admin-graphql$': '<rootDir>/admin-graphql/src/index.ts',
  },
  testTimeout: 20000,
  // Two cores: more workers than that only thrash.
  maxWorkers: 2,
};
