import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('runs every task type through the dev server and two example apps, then exits 0', async () => {
    const child = spawn(process.execPath, ['scripts/demo.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toContain('All 9 scenarios ended as expected');
    expect(out).toMatch(
      /console http:\/\/127\.0\.0\.1:\d+\/ {3}OpenAPI http:\/\/127\.0\.0\.1:\d+\/snail-job\/api/,
    );
    for (const row of [
      /CLUSTER\s+helloJob\s+\d+\s+SUCCESS/,
      /BROADCAST\s+broadcastJob\s+\d+\s+SUCCESS\s+2\s+2/,
      /SHARDING\s+shardJob\s+\d+\s+SUCCESS\s+3/,
      /MAP \(2 levels\)\s+orderMap\s+\d+\s+SUCCESS\s+9/,
      /MAP_REDUCE \+ merge\s+salesMapReduce\s+\d+\s+SUCCESS\s+17\s+\d+\s+reduces \[1000, 2600, 4200\] → merge 7800/,
      /CLUSTER, fails, 1 retry\s+failingJob\s+\d+\s+FAIL/,
      /CLUSTER, stopped\s+slowJob\s+\d+\s+STOP/,
      /CLUSTER, timeout 2 s\s+slowJob\s+\d+\s+STOP/,
      /WORKFLOW \(3 nodes\)\s+workflowStep\s+\d+\s+SUCCESS\s+3\s+\d+\s+visited \["extract","transform","load"\]/,
    ]) {
      expect(out).toMatch(row);
    }
    expect(out).toContain('greeting SnailJob from pid');
    expect(code).toBe(0);
  }, 120_000);
});
