#!/usr/bin/env node
// Builds the publishable package (docs/installation.md, "How the package is built"):
//   dist/        the CommonJS build (tsc, tsconfig.lib.json): JavaScript, declarations, source maps with the
//                sources inlined, and a package.json saying "type": "commonjs";
//   dist/esm/    one thin ES module per subpath export, re-exporting the CommonJS build, so an app that imports
//                and a library that requires share one instance of every class and metadata key.
// The subpaths come from package.json `exports`: adding one there (and its source entry) is all a new
// subpath needs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(pkgDir, 'dist');
const require = createRequire(import.meta.url);

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(pkgDir, 'tsconfig.lib.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

writeJson(path.join(dist, 'package.json'), { type: 'commonjs' });

// The wire codec is generated JavaScript (scripts/generate-wire-codec.mjs, an ES module beside its
// declarations), which tsc does not compile: transpile it to CommonJS for this build and copy its types.
const ts = require('typescript');
const generatedSrc = path.join(pkgDir, 'src', 'protocol', 'generated');
const generatedOut = path.join(dist, 'protocol', 'generated');
fs.mkdirSync(generatedOut, { recursive: true });
for (const file of fs.readdirSync(generatedSrc)) {
  const from = path.join(generatedSrc, file);
  if (file.endsWith('.d.ts')) {
    fs.copyFileSync(from, path.join(generatedOut, file));
  } else if (file.endsWith('.js')) {
    const { outputText } = ts.transpileModule(fs.readFileSync(from, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: file,
    });
    fs.writeFileSync(path.join(generatedOut, file), outputText);
  }
}
writeJson(path.join(dist, 'esm', 'package.json'), { type: 'module' });

const { exports } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
for (const [subpath, target] of Object.entries(exports)) {
  if (typeof target === 'string') continue; // "./package.json"
  const cjs = path.join(pkgDir, target.require.default);
  const esm = path.join(pkgDir, target.import.default);
  const esmTypes = path.join(pkgDir, target.import.types);
  if (!fs.existsSync(cjs)) throw new Error(`exports["${subpath}"].require: ${cjs} was not built`);
  const from = (file) => toPosix(path.relative(path.dirname(file), cjs));
  fs.mkdirSync(path.dirname(esm), { recursive: true });
  fs.writeFileSync(esm, `export * from '${from(esm)}';\n`);
  fs.writeFileSync(esmTypes, `export * from '${from(esmTypes)}';\n`);
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function toPosix(p) {
  const posix = p.split(path.sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}
