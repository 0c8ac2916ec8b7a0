import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SnailJobConfigError } from '../errors/snail-job-config.error.js';
import { resolveOptions } from './resolve-options.js';
import {
  bool,
  integer,
  renderSettingsTable,
  replaceTable,
  resolveSettings,
  TABLE_END,
  TABLE_START,
  text,
  type Setting,
} from './settings.js';
import { SNAIL_JOB_SETTINGS } from './snail-job.settings.js';

const README = new URL('../../../../README.md', import.meta.url);

function errorOf(fn: () => unknown): SnailJobConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SnailJobConfigError);
    return error as SnailJobConfigError;
  }
  throw new Error('expected a SnailJobConfigError');
}

describe('the settings table', () => {
  it('is the options table of README.md (run `npm run docs:options` after changing a row)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README.md lacks the options-table markers').toBeGreaterThan(0);
    const inReadme = readme.slice(start + TABLE_START.length, end).trim();
    expect(inReadme).toBe(renderSettingsTable(SNAIL_JOB_SETTINGS));
  });

  it('gives every row its own SNAIL_* variable and a doc line', () => {
    const rows = Object.values(SNAIL_JOB_SETTINGS);
    for (const row of rows) {
      expect(row.env).toMatch(/^SNAIL_[A-Z_]+$/);
      expect(row.doc.trim()).not.toBe('');
    }
    expect(new Set(rows.map((r) => r.env)).size).toBe(rows.length);
  });

  it('enforces the bounds of every integer row, on the variable and on the option, with one message', () => {
    const integerRows = Object.entries(SNAIL_JOB_SETTINGS).filter(
      ([, row]) => row.kind.bounds !== undefined && row.check === undefined,
    );
    expect(integerRows.length).toBeGreaterThanOrEqual(13);
    for (const [path, row] of integerRows) {
      const { min, max } = row.kind.bounds!;
      const at = (value: number) => path.split('.').reduceRight<unknown>((v, key) => ({ [key]: v }), value);
      expect(resolveOptions({}, { [row.env]: String(min) })).toMatchObject(at(min) as object);
      expect(resolveOptions({}, { [row.env]: ` ${max} ` })).toMatchObject(at(max) as object);
      for (const bad of [min - 1, max + 1]) {
        expect(errorOf(() => resolveOptions({}, { [row.env]: String(bad) })).message).toBe(
          `Invalid SnailJob configuration: ${row.env}="${bad}" — expected an integer from ${min} to ${max}.`,
        );
        expect(errorOf(() => resolveOptions(at(bad) as object, {})).message).toBe(
          `Invalid SnailJob configuration: options.${path}=${bad} — expected an integer from ${min} to ${max}.`,
        );
      }
    }
  });
});

describe('resolveSettings', () => {
  interface Small {
    a: { n: number };
    flag: boolean;
    twice: number;
    name: string;
  }
  const table: Record<string, Setting<unknown, Small>> = {
    'a.n': { env: 'X_N', kind: integer(1, 10), default: 5, doc: 'n' },
    flag: { env: 'X_FLAG', kind: bool, default: false, doc: 'flag' },
    twice: {
      env: 'X_TWICE',
      kind: integer(0, 100),
      default: (r: Readonly<Small>) => 2 * r.a.n,
      check: (v: number, r: Readonly<Small>) => (v < r.a.n ? `at least a.n (${r.a.n})` : undefined),
      doc: 'twice',
    } as Setting<number, Small>,
    name: { env: 'X_NAME', kind: text(8), default: 'dflt', doc: 'name' },
  };

  it('takes explicit options over the environment over defaults', () => {
    expect(resolveSettings(table, {}, {})).toEqual({ a: { n: 5 }, flag: false, twice: 10, name: 'dflt' });
    expect(resolveSettings(table, {}, { X_N: '7', X_FLAG: 'on', X_NAME: ' env ' })).toEqual({
      a: { n: 7 },
      flag: true,
      twice: 14,
      name: 'env',
    });
    expect(resolveSettings(table, { a: { n: 2 }, flag: false }, { X_N: '7', X_FLAG: 'on' })).toMatchObject({
      a: { n: 2 },
      flag: false,
      twice: 4,
    });
  });

  it('treats a blank variable as unset', () => {
    expect(resolveSettings(table, {}, { X_N: '  ', X_NAME: '' })).toMatchObject({
      a: { n: 5 },
      name: 'dflt',
    });
  });

  it('refuses a value that fails a row check, naming its source', () => {
    expect(errorOf(() => resolveSettings(table, {}, { X_N: '9', X_TWICE: '3' })).message).toBe(
      'Invalid SnailJob configuration: X_TWICE="3" — expected at least a.n (9).',
    );
  });

  it('renders the Markdown table with padded columns', () => {
    expect(renderSettingsTable({ flag: table.flag! } as never)).toBe(
      [
        '| option | env variable | default | accepts       | meaning |',
        '| ------ | ------------ | ------- | ------------- | ------- |',
        '| `flag` | `X_FLAG`     | `false` | true or false | flag    |',
      ].join('\n'),
    );
  });

  it('replaces only the text between the markers', () => {
    const doc = `head\n${TABLE_START}\nold\n${TABLE_END}\ntail\n`;
    expect(replaceTable(doc, 'NEW')).toBe(`head\n${TABLE_START}\n\nNEW\n\n${TABLE_END}\ntail\n`);
    expect(() => replaceTable('no markers', 'NEW')).toThrow(/markers/);
  });
});
