#!/usr/bin/env node
// Rewrites README.md's options table (section "Configuration", between the options-table markers) from the
// settings table, libs/snail-job/src/config/snail-job.settings.ts. Run as `npm run docs:options`, which builds
// the library first; libs/snail-job/src/config/snail-job.settings.spec.ts fails while the README differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import settings from '../libs/snail-job/dist/config/settings.js';
import table from '../libs/snail-job/dist/config/snail-job.settings.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(readme, 'utf8');
const after = settings.replaceTable(before, settings.renderSettingsTable(table.SNAIL_JOB_SETTINGS));
if (after === before) {
  console.log('README.md options table is up to date');
} else {
  writeFileSync(readme, after);
  console.log('README.md options table rewritten');
}
