import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'nestjs-snail-job/protocol': fileURLToPath(
        new URL('./libs/snail-job/src/protocol/index.ts', import.meta.url),
      ),
      'nestjs-snail-job/openapi': fileURLToPath(
        new URL('./libs/snail-job/src/openapi/index.ts', import.meta.url),
      ),
      'nestjs-snail-job/testing': fileURLToPath(
        new URL('./libs/snail-job/src/testing/index.ts', import.meta.url),
      ),
      'nestjs-snail-job': fileURLToPath(new URL('./libs/snail-job/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.e2e-spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/consumers/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
