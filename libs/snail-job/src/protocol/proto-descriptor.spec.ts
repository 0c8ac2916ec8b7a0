import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { SNAIL_JOB_PROTO_DESCRIPTOR, unaryRequestService } from './proto-descriptor.js';

describe('embedded proto descriptor', () => {
  it('matches proto/snail_job.proto exactly', () => {
    const file = fileURLToPath(new URL('../../../../proto/snail_job.proto', import.meta.url));
    const parsed = protobuf.parse(readFileSync(file, 'utf8'), { keepCase: true });
    expect(parsed.package ?? null).toBeNull();
    expect(parsed.root.toJSON()).toEqual(SNAIL_JOB_PROTO_DESCRIPTOR);
  });

  it('builds the /UnaryRequest/unaryRequest method', () => {
    const service = unaryRequestService();
    expect(service.service.unaryRequest.path).toBe('/UnaryRequest/unaryRequest');
  });
});
