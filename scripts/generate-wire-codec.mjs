#!/usr/bin/env node
// Generates the wire codec from proto/snail_job.proto with protobufjs-cli (static code on protobufjs/minimal):
// libs/snail-job/src/protocol/generated/snail_job.pb.js and its type declarations snail_job.pb.d.ts.
// Run `npm run generate:wire-codec` after changing the proto; `proto-descriptor.spec.ts` fails while the committed files
// differ from what this script writes. See docs/protocol-codec.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { pbjs, pbts } = require('protobufjs-cli');

const root = fileURLToPath(new URL('..', import.meta.url));
export const PROTO = join(root, 'proto/snail_job.proto');
export const OUT_DIR = join(root, 'libs/snail-job/src/protocol/generated');

const PBJS_ARGS = [
  '--target',
  'static-module',
  '--es6',
  '--wrap',
  join(root, 'proto/pbjs-esm-wrapper.tmpl'),
  // protobufjs is CommonJS without an exports map: an ES module must name the file.
  '--dependency',
  'protobufjs/minimal.js',
  // A root of our own, not protobufjs's shared "default" root (an app's own messages may live there).
  '--root',
  'snail_job',
  '--keep-case',
  '--no-create',
  '--no-verify',
  '--no-convert',
  '--no-delimited',
  '--no-typeurl',
  '--no-service',
];

function run(tool, args) {
  return new Promise((resolve, reject) => {
    tool.main(args, (error, output) => (error ? reject(error) : resolve(output)));
  });
}

/** The generated code and declarations for the proto, as text: `{ js, dts }`. */
export async function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'snail-job-codegen-'));
  try {
    const jsFile = join(dir, 'snail_job.pb.js');
    await run(pbjs, [...PBJS_ARGS, '--out', jsFile, PROTO]);
    const dtsFile = join(dir, 'snail_job.pb.d.ts');
    await run(pbts, ['--no-comments', '--out', dtsFile, jsFile]);
    return { js: readFileSync(jsFile, 'utf8'), dts: readFileSync(dtsFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { js, dts } = await generate();
  const files = { 'snail_job.pb.js': js, 'snail_job.pb.d.ts': dts };
  if (process.argv.includes('--check')) {
    // Used by proto-descriptor.spec.ts: exit 1 when a committed file is not what the generator writes now.
    const stale = Object.keys(files).filter((name) => {
      try {
        return readFileSync(join(OUT_DIR, name), 'utf8') !== files[name];
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      console.error(`stale generated code: ${stale.join(', ')}; run npm run generate:wire-codec`);
      process.exit(1);
    }
    console.log('generated wire codec is up to date');
  } else {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT_DIR, name), text);
    console.log(`wrote ${OUT_DIR}/snail_job.pb.{js,d.ts}`);
  }
}
