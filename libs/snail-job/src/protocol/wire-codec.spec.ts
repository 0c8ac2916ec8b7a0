import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { SNAIL_JOB_PROTO_DESCRIPTOR, type WireRequest } from './proto-descriptor.js';

/** The @grpc/proto-loader options the client used before the hand-written codec (ids as decimal strings). */
const PROTO_LOADER_OPTIONS = { longs: String, enums: String, defaults: true, oneofs: true };
import { decodeRequest, decodeResult, encodeRequest, encodeResult } from './wire-codec.js';

const root = protobuf.Root.fromJSON(SNAIL_JOB_PROTO_DESCRIPTOR as unknown as protobuf.INamespace);
const Request = root.lookupType('GrpcSnailJobRequest');
const Result = root.lookupType('GrpcResult');
const toObjectOptions = {
  longs: PROTO_LOADER_OPTIONS.longs,
  enums: PROTO_LOADER_OPTIONS.enums,
  defaults: PROTO_LOADER_OPTIONS.defaults,
  oneofs: PROTO_LOADER_OPTIONS.oneofs,
} as protobuf.IConversionOptions;

/** What grpc-js + proto-loader sent before: protobuf.js's bytes for the object. */
function protobufBytes(type: protobuf.Type, object: object): Buffer {
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

/** What grpc-js + proto-loader decoded before. */
function protoLoaderObject(type: protobuf.Type, bytes: Uint8Array): object {
  return type.toObject(type.decode(bytes), toObjectOptions);
}

const dispatch =
  '[{"argsStr":"{\\"jobParams\\":\\"hello\\"}","executorInfo":"echoJob","jobId":7,"taskBatchId":1201,"taskId":3301}]';

const requests: WireRequest[] = [
  {
    reqId: '42',
    metadata: {
      uri: '/job/dispatch/v1',
      headers: { 'SJ-TOKEN': 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj', 'host-port': '17888', Host: '127.0.0.1' },
    },
    body: dispatch,
  },
  { reqId: '0', metadata: { uri: '', headers: {} }, body: '' },
  { reqId: '9223372036854775807', metadata: null, body: 'null' },
  { reqId: '-1', metadata: { uri: '/beat', headers: { label: '{"state":"up"}' } }, body: '["PING",{}]' },
  {
    reqId: '1716901234567',
    metadata: { uri: '/é€😀', headers: { ключ: 'значение 😀', '': '' } },
    body: 'é€😀'.repeat(50),
  },
  {
    reqId: '300',
    metadata: { uri: '/batch/report/job/map/task/v1', headers: {} },
    body: 'x'.repeat(300_000),
  },
];

const results = [
  { reqId: '42', status: 1, message: '', data: 'true' },
  {
    reqId: 0,
    status: 0,
    message: 'Authentication failed. [Please check if the configured Token is correct]',
    data: 'null',
  },
  { reqId: '18446744073709551615', status: -1, message: 'é€😀', data: '"PONG"' },
  { reqId: 2 ** 40, status: 2147483647, message: 'm', data: 'd'.repeat(200_000) },
  { reqId: '-9223372036854775808', status: -2147483648, message: '', data: '' },
];

describe('hand-written wire codec', () => {
  it('writes exactly the bytes protobuf.js writes for a request', () => {
    for (const request of requests) {
      expect(encodeRequest(request).equals(protobufBytes(Request, request)), request.reqId).toBe(true);
    }
  });

  it('writes exactly the bytes protobuf.js writes for a result', () => {
    for (const result of results) {
      expect(encodeResult(result).equals(protobufBytes(Result, result)), String(result.reqId)).toBe(true);
    }
  });

  it('decodes a request like proto-loader', () => {
    for (const request of requests) {
      const bytes = protobufBytes(Request, request);
      expect(decodeRequest(bytes)).toEqual(protoLoaderObject(Request, bytes));
    }
    expect(decodeRequest(Buffer.alloc(0))).toEqual(protoLoaderObject(Request, new Uint8Array(0)));
  });

  it('decodes a result like proto-loader', () => {
    for (const result of results) {
      const bytes = protobufBytes(Result, result);
      expect(decodeResult(bytes)).toEqual(protoLoaderObject(Result, bytes));
    }
    expect(decodeResult(Buffer.alloc(0))).toEqual({ reqId: '0', status: 0, message: '', data: '' });
  });

  it('skips unknown fields of every wire type', () => {
    const known = protobufBytes(Request, requests[0]);
    const w = protobuf.Writer.create();
    w.uint32((15 << 3) | 0).uint64('18446744073709551615');
    w.uint32((16 << 3) | 1).fixed64(7);
    w.uint32((17 << 3) | 2).bytes(Buffer.from('ignored'));
    w.uint32((18 << 3) | 5).fixed32(9);
    const withUnknown = Buffer.concat([Buffer.from(w.finish()), known, Buffer.from(w.finish())]);
    expect(decodeRequest(withUnknown)).toEqual(protoLoaderObject(Request, known));
  });

  it('keeps a "__proto__" header as an own key without touching prototypes', () => {
    const bytes = encodeRequest({
      reqId: '1',
      metadata: { uri: '/x', headers: JSON.parse('{"__proto__":"v"}') },
      body: '',
    });
    const decoded = decodeRequest(bytes);
    expect(Object.keys(decoded.metadata!.headers)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).v).toBeUndefined();
  });

  it('rejects truncated messages instead of reading past them', () => {
    const bytes = encodeRequest(requests[0]);
    for (const cut of [1, 3, 5, bytes.length - 1]) {
      expect(() => decodeRequest(bytes.subarray(0, cut)), String(cut)).toThrow(/Malformed protobuf message/);
    }
  });
});
