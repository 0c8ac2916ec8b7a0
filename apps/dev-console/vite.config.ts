import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds the dev server's web console into `apps/dev-console/dist` (served at `/` by the dev server). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Preact's automatic JSX runtime through Vite's own transformer: no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  logLevel: 'warn',
  // `npx vite apps/dev-console` serves the page with hot reload against a dev server on :8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
