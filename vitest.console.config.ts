import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** The web console's browser suite (`npm run test:console`; needs /usr/bin/chromium). */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/console/**/*.browser-spec.ts'],
    testTimeout: 60_000,
  },
});
