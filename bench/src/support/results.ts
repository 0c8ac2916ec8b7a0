/** How a row compares with its target. `info` rows have no target; `skipped` rows could not be measured. */
export type Verdict = 'PASS' | 'FAIL' | 'info' | 'skipped' | 'error';

/** One line of the result table. */
export interface Row {
  /** Benchmark number of the task list (1-5). */
  id: number;
  metric: string;
  value: string;
  target: string;
  verdict: Verdict;
  note?: string;
}

/** What one scenario hands back: its table rows and its raw figures for the JSON file. */
export interface ScenarioResult {
  rows: Row[];
  data: Record<string, unknown>;
}

/** PASS when `ok`, else FAIL. */
export function verdict(ok: boolean): Verdict {
  return ok ? 'PASS' : 'FAIL';
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Renders the rows as a fixed-width table. */
export function renderTable(rows: readonly Row[]): string {
  const header = ['#', 'benchmark', 'result', 'target', 'verdict', 'note'];
  const cells = rows.map((r) => [String(r.id), r.metric, r.value, r.target, r.verdict, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A table note when other processes used a noticeable share of the machine during a measurement. */
export function busy(otherCores: number): string {
  return otherCores >= 0.2 ? `, BUSY MACHINE: others used ${fmt(otherCores, 1)} cores` : '';
}
