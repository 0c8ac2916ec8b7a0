// Child process of the journal crash test (apps/dev-server/src/persistence/journal-file.spec.ts): appends
// numbered records to the journal in argv[2] (built code, so `npm run build` first) as fast as it can, printing
// the last number after each append, compacting now and then, until it is killed.
import { JournalFile } from '../dist/persistence/journal-file.js';

const { journal } = JournalFile.open(process.argv[2]);
const filler = 'x'.repeat(2048);
let seq = 0;
for (;;) {
  const batch = Array.from({ length: 4 }, () => ({ t: 'rec', k: String(++seq), v: { seq, filler } }));
  journal.append(batch);
  process.stdout.write(`${seq}\n`);
  if (seq % 400 === 0) {
    journal.compact(
      Array.from({ length: seq }, (_, i) => ({ t: 'rec', k: String(i + 1), v: { seq: i + 1 } })),
    );
  }
  await new Promise((r) => setImmediate(r));
}
