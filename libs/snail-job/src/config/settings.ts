import { SnailJobConfigError } from '../errors/snail-job-config.error.js';

/** An environment: variable name → value. */
export type Env = Record<string, string | undefined>;

/** One setting's raw value and where it came from: `options.server.port` or `SNAIL_SERVER_PORT`. */
export interface RawSetting {
  source: string;
  value: unknown;
}

/**
 * A type of setting: how a given (non-`undefined`) value is checked and converted, and what a valid value looks
 * like. `accepts` is both the "expected …" of the error message and the "accepts" column of the options table.
 */
export interface SettingKind<T> {
  readonly accepts: string;
  /** Inclusive bounds of an integer kind. */
  readonly bounds?: { readonly min: number; readonly max: number };
  parse(raw: RawSetting): T;
}

/**
 * One row of a settings table. `R` is the resolved options object; rows are resolved in table order, so a
 * `default` or `check` function may read the rows above it.
 */
export interface Setting<T, R = unknown> {
  /** Environment variable, e.g. `SNAIL_SERVER_PORT`. */
  readonly env: string;
  readonly kind: SettingKind<T>;
  /** Value when neither the option nor the variable is set (a function for a computed default). */
  readonly default: T | ((resolved: Readonly<R>) => T);
  /** The default as the options table shows it, when the literal would not say it. */
  readonly defaultDoc?: string;
  /** One line for the options table's "meaning" column (Markdown). */
  readonly doc: string;
  /** A check against other settings: returns what was expected when `value` is refused. */
  check?(value: T, resolved: Readonly<R>): string | undefined;
}

/** Throws the one configuration error: the option or variable, its value, what was expected. */
export function refuse(raw: RawSetting, expected: string): never {
  throw new SnailJobConfigError(raw.source, raw.value, expected);
}

/** Option path (`server.port`) → the value at that path of `options`, or `undefined`. */
function optionAt(options: unknown, path: string): unknown {
  let at: unknown = options;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Sets `value` at an option path of `target`, creating the objects on the way. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
}

/**
 * Resolves every row of `table` (keyed by option path): explicit option > environment variable (trimmed; blank
 * is unset) > default. Returns the values placed at their option paths; throws {@link SnailJobConfigError} for
 * the first bad value.
 */
export function resolveSettings<R>(
  table: Readonly<Record<string, Setting<unknown, R>>>,
  options: unknown,
  env: Env,
): R {
  const resolved: Record<string, unknown> = {};
  for (const [path, setting] of Object.entries(table)) {
    const raw = pickRaw(options, path, setting.env, env);
    const value =
      raw.value !== undefined
        ? setting.kind.parse(raw)
        : typeof setting.default === 'function'
          ? (setting.default as (r: Readonly<R>) => unknown)(resolved as R)
          : setting.default;
    const refused = setting.check?.(value, resolved as R);
    if (refused !== undefined) refuse(raw.value === undefined ? { ...raw, value } : raw, refused);
    setAt(resolved, path, value);
  }
  return resolved as R;
}

function pickRaw(options: unknown, path: string, envName: string, env: Env): RawSetting {
  const option = optionAt(options, path);
  if (option !== undefined) return { source: `options.${path}`, value: option };
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { source: envName, value: fromEnv.trim() };
  return { source: envName, value: undefined };
}

// ----- kinds -----

/** An integer from `min` to `max`; the environment form is decimal digits. */
export function integer(min: number, max: number): SettingKind<number> {
  const accepts = `an integer from ${min} to ${max}`;
  return {
    accepts,
    bounds: { min, max },
    parse(raw) {
      const n =
        typeof raw.value === 'number'
          ? raw.value
          : typeof raw.value === 'string' && /^-?\d+$/.test(raw.value)
            ? Number(raw.value)
            : NaN;
      if (!Number.isInteger(n) || n < min || n > max) refuse(raw, accepts);
      return n;
    },
  };
}

/** A TCP port; `0` (pick a free port) only when `allowZero`. */
export function port(allowZero: boolean): SettingKind<number> {
  return integer(allowZero ? 0 : 1, 65535);
}

/** `true`/`false`; the environment form also takes `1`/`0`, `yes`/`no`, `on`/`off`. */
const BOOL_ACCEPTS = 'true or false';
export const bool: SettingKind<boolean> = {
  accepts: BOOL_ACCEPTS,
  parse(raw) {
    if (typeof raw.value === 'boolean') return raw.value;
    const v = String(raw.value).toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    refuse(raw, BOOL_ACCEPTS);
  },
};

/** A non-empty string of at most `maxLength` characters. */
export function text(maxLength: number): SettingKind<string> {
  const accepts = `a non-empty string of at most ${maxLength} characters`;
  return {
    accepts,
    parse(raw) {
      if (typeof raw.value !== 'string' || raw.value.trim() === '' || raw.value.length > maxLength)
        refuse(raw, accepts);
      return raw.value;
    },
  };
}

/** A string matching `pattern`. */
export function matching(pattern: RegExp, accepts: string): SettingKind<string> {
  return {
    accepts,
    parse(raw) {
      if (typeof raw.value !== 'string' || !pattern.test(raw.value)) refuse(raw, accepts);
      return raw.value;
    },
  };
}

/** A kind whose parser is its own function (it throws {@link SnailJobConfigError} itself). */
export function custom<T>(accepts: string, parse: (raw: RawSetting) => T): SettingKind<T> {
  return { accepts, parse };
}

// ----- the options table -----

/** The column names of the rendered options table. */
const COLUMNS = ['option', 'env variable', 'default', 'accepts', 'meaning'] as const;

/** How a default reads in the table: a literal in backticks, or the row's `defaultDoc`. */
function defaultCell(setting: Setting<unknown, never>): string {
  if (setting.defaultDoc !== undefined) return setting.defaultDoc;
  if (typeof setting.default === 'function' || setting.default === undefined) return 'none';
  return `\`${String(setting.default)}\``;
}

/**
 * The options table as Markdown, laid out as Prettier lays out a table (cells padded to the column width), so
 * the README between its markers is exactly this text.
 */
export function renderSettingsTable(table: Readonly<Record<string, Setting<unknown, never>>>): string {
  const rows = Object.entries(table).map(([path, s]) => [
    `\`${path}\``,
    `\`${s.env}\``,
    defaultCell(s),
    s.kind.accepts,
    s.doc,
  ]);
  const widths = COLUMNS.map((name, i) => Math.max(name.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(COLUMNS), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Markers around the generated options table in README.md. */
export const TABLE_START = '<!-- options-table:start (npm run docs:options) -->';
export const TABLE_END = '<!-- options-table:end -->';

/** `markdown` with the text between the table markers replaced by `tableText`. */
export function replaceTable(markdown: string, tableText: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the markers ${TABLE_START} … ${TABLE_END} are missing`);
  return `${markdown.slice(0, start + TABLE_START.length)}\n\n${tableText}\n\n${markdown.slice(end)}`;
}
