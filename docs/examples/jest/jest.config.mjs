// Runs the Jest example with ts-jest in ESM mode (npm i -D jest ts-jest @types/jest), e.g.
// NODE_OPTIONS=--experimental-vm-modules npx jest -c docs/examples/jest/jest.config.mjs
export default {
  rootDir: '../../..',
  testMatch: ['<rootDir>/docs/examples/jest/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-snail-job/testing$': '<rootDir>/libs/snail-job/src/testing/index.ts',
    '^nestjs-snail-job$': '<rootDir>/libs/snail-job/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/docs/examples/jest/tsconfig.json' }],
  },
};
