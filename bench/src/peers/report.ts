import type { PeerFigures } from './measure.js';

interface Metric {
  label: string;
  value: (f: PeerFigures) => number | null | undefined;
  digits: number;
}

const metrics: Metric[] = [
  { label: 'register after start, s', value: (f) => (f.registerMs ?? NaN) / 1000, digits: 1 },
  { label: 'idle RSS, MiB', value: (f) => f.idleRssMiB, digits: 0 },
  { label: 'burst of cluster no-op jobs, jobs/s', value: (f) => f.burst?.jobsPerSec, digits: 0 },
  { label: 'trigger -> handler start p50, ms', value: (f) => f.burst?.latencyP50Ms, digits: 1 },
  { label: 'trigger -> handler start p99, ms', value: (f) => f.burst?.latencyP99Ms, digits: 1 },
  { label: 'client CPU per job, ms', value: (f) => f.burst?.cpuMsPerJob, digits: 2 },
  { label: 'loaded RSS (burst peak), MiB', value: (f) => f.burst?.loadedRssMiB, digits: 0 },
  ...[1_000, 10_000, 100_000].flatMap((n): Metric[] => [
    {
      label: `doMap ${n.toLocaleString('en-US')}: fan-out done, s`,
      value: (f) => {
        const m = f.maps.find((x) => x.items === n);
        return m ? (m.acceptedMs ?? NaN) / 1000 : undefined;
      },
      digits: 2,
    },
    {
      label: `doMap ${n.toLocaleString('en-US')}: batch closed, s`,
      value: (f) => {
        const m = f.maps.find((x) => x.items === n);
        return m ? (m.endToEndMs ?? NaN) / 1000 : undefined;
      },
      digits: 1,
    },
  ]),
  { label: 'remote log lines delivered', value: (f) => f.logs?.delivered, digits: 0 },
  {
    label: 'remote logs: last line stored, s',
    value: (f) => (f.logs ? f.logs.ms / 1000 : undefined),
    digits: 1,
  },
  { label: 'server restart -> job runs again, s', value: (f) => (f.recoverMs ?? NaN) / 1000, digits: 1 },
  { label: 'lost (jobs, items, log lines)', value: (f) => f.lost, digits: 0 },
  { label: 'client crashed', value: (f) => (f.crashed ? 1 : 0), digits: 0 },
];

function cell(v: number | null | undefined, digits: number): string {
  if (v === undefined) return '';
  if (v === null || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One table per server: a column per client, then each peer's figure divided by ours. */
export function renderPeerTables(
  results: PeerFigures[],
  skippedServers: string[],
  blockedClients: { client: string; reason: string }[],
): string {
  const out: string[] = [];
  for (const server of [...new Set(results.map((r) => r.server))]) {
    const row = results.filter((r) => r.server === server);
    const ours = row.find((r) => r.client === 'nestjs-snail-job');
    const peers = row.filter((r) => r !== ours && !r.blocked);
    const header = [
      'on the ' + server,
      ...row.map((r) => r.client),
      ...peers.map((p) => `${p.client} / ours`),
    ];
    const lines = metrics
      .map((m) => {
        const values = row.map((r) =>
          r.blocked && !['register after start, s', 'idle RSS, MiB'].includes(m.label)
            ? undefined
            : m.value(r),
        );
        if (values.every((v) => v === undefined)) return null;
        const ratios = peers.map((p) => {
          const a = m.value(p);
          const b = ours ? m.value(ours) : undefined;
          return typeof a === 'number' &&
            typeof b === 'number' &&
            Number.isFinite(a) &&
            Number.isFinite(b) &&
            b !== 0
            ? `${(a / b).toFixed(2)}x`
            : '';
        });
        return [m.label, ...values.map((v) => cell(v, m.digits)), ...ratios];
      })
      .filter((l): l is string[] => l !== null);
    const table = [header, ...lines];
    const widths = header.map((_, i) => Math.max(...table.map((l) => (l[i] ?? '').length)));
    out.push(
      table
        .map((l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
        .join('\n'),
    );
    for (const r of row) {
      if (r.blocked)
        out.push(`  ${r.client}: ${r.blocked}; its answer to a dispatch: ${r.dispatchAnswer ?? '(none)'}`);
      for (const n of r.notes) out.push(`  ${r.client}: ${n}`);
    }
    out.push('');
  }
  for (const s of skippedServers) out.push(`not measured: ${s}`);
  for (const b of blockedClients) out.push(`not measured: ${b.client}: ${b.reason}`);
  return out.join('\n');
}
