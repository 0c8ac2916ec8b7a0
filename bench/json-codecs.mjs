// JSON codecs on SnailJob bodies: the library's own (protocol/json.ts) against kept lossless libraries, to decide
// whether a library could replace it (docs/protocol-codec.md). Prints a table: median of 5 rounds per parse /
// stringify. Takes about a minute (lossless-json needs seconds per 12 MiB body).
//   npm run build:lib && node --expose-gc bench/json-codecs.mjs
import { createRequire } from 'node:module';
import { parse as losslessParse, stringify as losslessStringify, isSafeNumber } from 'lossless-json';
import { parseJson, stringifyJson } from 'nestjs-snail-job/protocol';

const require = createRequire(import.meta.url);
const JSONbig = require('json-bigint')({ useNativeBigInt: true });

/** lossless-json with the library's number rule: exact bigint for unsafe integers, number otherwise. */
const losslessNumber = (s) => (isSafeNumber(s) ? Number(s) : /^-?\d+$/.test(s) ? BigInt(s) : Number(s));

const codecs = {
  'JSON.parse/stringify (lossy, baseline)': {
    parse: (t) => JSON.parse(t),
    stringify: (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)),
  },
  'ours (protocol/json.ts)': { parse: parseJson, stringify: stringifyJson },
  'lossless-json 4.3': {
    parse: (t) => losslessParse(t, null, losslessNumber),
    stringify: (v) => losslessStringify(v),
  },
  'json-bigint 1.0 (native bigint)': {
    parse: (t) => JSONbig.parse(t),
    stringify: (v) => JSONbig.stringify(v),
  },
};

/** A cluster dispatch body as the Java server sends it (the snowflake jobBizId is a string). */
const dispatch = JSON.stringify([
  {
    argsStr: '{"jobParams":"{\\"date\\":\\"2026-12-03\\",\\"region\\":\\"eu\\"}"}',
    executorInfo: 'dailyReport',
    executorTimeout: 60,
    executorType: 1,
    groupName: 'snail_job_demo_group',
    jobBizId: '1948123456789012345',
    jobId: 7,
    namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
    parallelNum: 1,
    retry: false,
    retryStatus: false,
    taskBatchId: 1201,
    taskId: 3301,
    taskName: 'CLUSTER_TASK',
    taskType: 1,
  },
]);

/** A doMap request of about 12 MiB: sub-task objects, with or without ids beyond 2^53 in them. */
function mapBody(longIds) {
  const items = [];
  let size = 0;
  for (let i = 0; size < 12 * 1024 * 1024; i++) {
    const id = longIds ? `${9_000_000_000_000_000_000n + BigInt(i)}` : String(i);
    const item = `{"orderId":${id},"shard":${i % 16},"customer":"customer-${i}","amount":${(i % 997) * 1.25}}`;
    items.push(item);
    size += item.length + 1;
  }
  return `[{"jobId":7,"taskBatchId":1201,"parentId":3301,"taskName":"ITEM","subTask":[${items.join(',')}]}]`;
}

const bodies = [
  ['dispatch body (~0.5 KiB)', dispatch, 5_000],
  ['12 MiB doMap body, small ids', mapBody(false), 1],
  ['12 MiB doMap body, ids beyond 2^53', mapBody(true), 1],
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Rounds per figure (the median is reported). */
const ROUNDS = 5;

function time(fn, reps) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6 / reps);
  }
  return median(samples);
}

const rows = [];
for (const [name, text, reps] of bodies) {
  const value = parseJson(text);
  for (const [codec, c] of Object.entries(codecs)) {
    globalThis.gc?.();
    for (let i = 0; i < Math.min(reps, 200); i++) c.parse(text); // warm-up
    const parseMs = time(() => c.parse(text), reps);
    const stringifyMs = time(() => c.stringify(value), reps);
    const exact = c.stringify(c.parse(text)) === text;
    rows.push({ body: name, codec, parseMs, stringifyMs, exact });
  }
}
const fmt = (ms) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} us` : `${ms.toFixed(1)} ms`);
console.log('| body | codec | parse | stringify | round trip exact |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of rows)
  console.log(
    `| ${r.body} | ${r.codec} | ${fmt(r.parseMs)} | ${fmt(r.stringifyMs)} | ${r.exact ? 'yes' : 'no'} |`,
  );
