import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { unaryRequestService } from './proto-descriptor.js';

const PROTO = fileURLToPath(new URL('../../../../proto/snail_job.proto', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../../../scripts/generate-wire-codec.mjs', import.meta.url));

describe('wire codec generated from proto/snail_job.proto', () => {
  it('has no package, so the method path has no prefix', () => {
    const parsed = protobuf.parse(readFileSync(PROTO, 'utf8'), { keepCase: true });
    expect(parsed.package ?? null).toBeNull();
  });

  it('is exactly what the generator writes from the proto (run npm run generate:wire-codec when this fails)', () => {
    const output = execFileSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect(output).toContain('up to date');
  });

  it('builds the /UnaryRequest/unaryRequest method', () => {
    const service = unaryRequestService();
    expect(service.service.unaryRequest.path).toBe('/UnaryRequest/unaryRequest');
  });
});
