import { defineConfig } from 'vitest/config';

// No plugin: Vite's transform honours experimentalDecorators + emitDecoratorMetadata from the tsconfig that
// covers the spec files (tsconfig.test.json).
export default defineConfig({
  test: {
    include: ['test/**/*.e2e-spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { tsconfig: './tsconfig.test.json' },
  },
});
