import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm pack` (and so `npm publish`) would ship, read from npm itself. Needs the built package
// (`npm run build:lib`; `npm test` builds first). docs/installation.md explains the layout.
const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = path.join(root, 'libs/snail-job');

interface PackedFile {
  path: string;
  size: number;
}

interface Manifest {
  name: string;
  license: string;
  main: string;
  types: string;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
  scripts: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  files: string[];
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as Manifest;

/** Every file path the `exports` map, `main` and `types` point at. */
function exportTargets(): string[] {
  const targets = [manifest.main, manifest.types];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return targets.map((t) => t.replace(/^\.\//, ''));
}

describe('the packed nestjs-snail-job', () => {
  let files: string[];

  beforeAll(() => {
    if (!fs.existsSync(path.join(pkgDir, 'dist/index.js'))) throw new Error('run `npm run build:lib` first');
    // --ignore-scripts: the prepack build already ran (pretest); its presence is checked below.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: pkgDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    files = (JSON.parse(out) as { files: PackedFile[] }[])[0].files.map((f) => f.path).sort();
  });

  it('ships the user guide, the MIT licence, the changelog, and builds itself before packing', () => {
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'])
      expect(files).toContain(file);
    expect(fs.readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8')).toBe(
      fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'),
    );
    expect(manifest.license).toBe('MIT');
    expect(fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8')).toMatch(/SnailJobModule\.forRoot/);
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs?.url).toMatch(/^https:\/\//);
  });

  it('ships every file its exports, main and types point at, and nothing from outside dist/ but the docs', () => {
    for (const target of exportTargets()) expect(files).toContain(target);
    const loose = files.filter((f) => !f.startsWith('dist/'));
    expect(loose.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(files.filter((f) => /\.spec\.|\.tsbuildinfo$|(^|\/)src\//.test(f))).toEqual([]);
  });

  it('ships no stale output: every compiled file has its source', () => {
    const stale = files
      .filter((f) => f.startsWith('dist/') && !f.startsWith('dist/esm/') && /\.(js|d\.ts)$/.test(f))
      .map((f) => f.replace(/^dist\//, 'src/').replace(/(\.d\.ts|\.js)$/, ''))
      // a TypeScript source, or generated JavaScript (the wire codec, transpiled by the build)
      .filter((base) => !['.ts', '.js', '.d.ts'].some((ext) => fs.existsSync(path.join(pkgDir, base + ext))));
    expect(stale).toEqual([]);
  });

  it('declares the CommonJS build as CommonJS and the ESM wrappers as ES modules', () => {
    expect(JSON.parse(fs.readFileSync(path.join(pkgDir, 'dist/package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
    expect(JSON.parse(fs.readFileSync(path.join(pkgDir, 'dist/esm/package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
  });

  it('ships source maps that resolve: each file compiled from TypeScript names a shipped map carrying its sources', () => {
    const scripts = files.filter(
      (f) =>
        f.startsWith('dist/') &&
        !f.startsWith('dist/esm/') &&
        f.endsWith('.js') &&
        fs.existsSync(path.join(pkgDir, f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))),
    );
    expect(scripts.length).toBeGreaterThan(20);
    for (const script of scripts) {
      const text = fs.readFileSync(path.join(pkgDir, script), 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      expect(url, script).toBeDefined();
      const mapPath = path.posix.join(path.posix.dirname(script), url!);
      expect(files, script).toContain(mapPath);
      const map = JSON.parse(fs.readFileSync(path.join(pkgDir, mapPath), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      expect(map.sources.length, mapPath).toBeGreaterThan(0);
      expect(map.sourcesContent?.length, mapPath).toBe(map.sources.length);
      expect(
        map.sourcesContent!.every((c) => typeof c === 'string' && c.length > 0),
        mapPath,
      ).toBe(true);
    }
  });

  it('accepts Nest 10, 11 and 12, and leaves Terminus, prom-client and @nestjs/testing optional', () => {
    for (const nest of ['@nestjs/common', '@nestjs/core', '@nestjs/microservices', '@nestjs/testing'])
      expect(manifest.peerDependencies[nest]).toBe('^10.0.0 || ^11.0.0 || ^12.0.0');
    // Terminus 10 does not export HealthIndicatorService; Terminus 11 accepts Nest 10 (docs/installation.md).
    expect(manifest.peerDependencies['@nestjs/terminus']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependenciesMeta).toMatchObject({
      '@nestjs/terminus': { optional: true },
      '@nestjs/testing': { optional: true }, // only nestjs-snail-job/testing uses it
      'prom-client': { optional: true },
    });
  });

  it('loads nestjs-snail-job/openapi without Nest, gRPC or reflect-metadata (for scripts and other frameworks)', () => {
    const script = `
      const { SnailJobOpenApi } = require('nestjs-snail-job/openapi');
      new SnailJobOpenApi({ baseUrl: 'http://127.0.0.1:8080/snail-job', namespace: 'n', groupName: 'g', token: 't' });
      console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('node_modules'))));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    const loaded = JSON.parse(out) as string[];
    expect(loaded.filter((f) => /@nestjs|@grpc|reflect-metadata|rxjs/.test(f))).toEqual([]);
  });

  it('gives import and require the same objects: the ESM entries re-export the CommonJS build', () => {
    const subpaths = Object.keys(manifest.exports)
      .filter((k) => k !== './package.json')
      .map((k) => k.replace(/^\./, manifest.name));
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const report = {};
      for (const id of ${JSON.stringify(subpaths)}) {
        const esm = await import(id);
        const cjs = require(id);
        const names = Object.keys(cjs).filter((k) => k !== '__esModule');
        report[id] = {
          names: names.length,
          missing: names.filter((k) => !(k in esm)),
          different: names.filter((k) => esm[k] !== cjs[k]),
        };
      }
      console.log(JSON.stringify(report));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    const report = JSON.parse(out) as Record<
      string,
      { names: number; missing: string[]; different: string[] }
    >;
    expect(Object.keys(report)).toEqual(subpaths);
    for (const [id, entry] of Object.entries(report)) {
      expect(entry.names, id).toBeGreaterThan(0);
      expect(entry, id).toEqual({ names: entry.names, missing: [], different: [] });
    }
  });
});
