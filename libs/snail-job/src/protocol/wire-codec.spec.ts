import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResult } from './wire-types.js';

/** The @grpc/proto-loader options the client used before the hand-written codec (ids as decimal strings). */
const PROTO_LOADER_OPTIONS = { longs: String, enums: String, defaults: true, oneofs: true };
import { decodeRequest, decodeResult, encodeRequest, encodeResult } from './wire-codec.js';

/** The reference: protobuf.js reflection over the same proto file the codec is generated from. */
const PROTO = fileURLToPath(new URL('../../../../proto/snail_job.proto', import.meta.url));
const root = protobuf.parse(readFileSync(PROTO, 'utf8'), { keepCase: true }).root;
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

/** protobuf.js's reader, but decoding strings that are not UTF-8 with U+FFFD as our codec does (wire-codec.ts). */
class LenientReference extends protobuf.Reader {
  override stringVerify(): string {
    return this.string();
  }
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

describe('wire codec', () => {
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

  it('skips unknown groups (wire types 3 and 4), nested ones too, as the encoding spec says', () => {
    const known = protobufBytes(Request, requests[0]);
    const w = protobuf.Writer.create();
    w.uint32((20 << 3) | 3); // start group 20
    w.uint32((1 << 3) | 0).uint32(5);
    w.uint32((2 << 3) | 2).string('inside');
    w.uint32((21 << 3) | 3); // nested group 21
    w.uint32((1 << 3) | 5).fixed32(1);
    w.uint32((21 << 3) | 4); // end group 21
    w.uint32((20 << 3) | 4); // end group 20
    const withGroup = Buffer.concat([Buffer.from(w.finish()), known]);
    expect(decodeRequest(withGroup)).toEqual(protoLoaderObject(Request, known));
    expect(decodeResult(Buffer.concat([Buffer.from(w.finish()), protobufBytes(Result, results[0])]))).toEqual(
      protoLoaderObject(Result, protobufBytes(Result, results[0])),
    );
  });

  it('refuses a group that is never closed or closed by another field number', () => {
    const open = Buffer.from([(20 << 3) | 3, (1 << 3) | 0, 1]);
    expect(() => decodeRequest(open)).toThrow(/Malformed protobuf message/);
    const crossed = Buffer.from([(20 << 3) | 3, (21 << 3) | 4]);
    expect(() => decodeRequest(crossed)).toThrow(/Malformed protobuf message/);
  });

  it('refuses a tag with field number 0, at the top and inside metadata', () => {
    const known = protobufBytes(Request, requests[0]);
    for (const tag of [0, 2, 5]) {
      const w = protobuf.Writer.create().uint32(tag);
      if ((tag & 7) === 0) w.uint32(1);
      else if ((tag & 7) === 2) w.string('x');
      else w.fixed32(1);
      expect(() => decodeRequest(Buffer.concat([known, Buffer.from(w.finish())])), String(tag)).toThrow(
        /Malformed protobuf message/,
      );
    }
    const metadata = protobuf.Writer.create().uint32(0).uint32(1).finish();
    const inside = protobuf.Writer.create().uint32(18).bytes(metadata).finish();
    expect(() => decodeRequest(Buffer.from(inside))).toThrow(/Malformed protobuf message/);
    expect(() => decodeResult(Buffer.from([0, 1]))).toThrow(/Malformed protobuf message/);
  });

  it('merges a metadata field that occurs twice (later fields win, header maps are joined)', () => {
    const first = Buffer.from(
      Metadata.encode(Metadata.fromObject({ uri: '/first', headers: { a: '1', b: '2' } })).finish(),
    );
    const second = Buffer.from(
      Metadata.encode(Metadata.fromObject({ headers: { b: '3', c: '4' } })).finish(),
    );
    const w = protobuf.Writer.create();
    w.uint32(8).int64(7);
    w.uint32(18).bytes(first);
    w.uint32(26).string('body');
    w.uint32(18).bytes(second);
    expect(decodeRequest(Buffer.from(w.finish()))).toEqual({
      reqId: '7',
      metadata: { uri: '/first', headers: { a: '1', b: '3', c: '4' } },
      body: 'body',
    });
  });

  it('skips a known field that arrives with another wire type, like an unknown one', () => {
    const known = protobufBytes(Request, requests[0]);
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).string('not a varint');
    w.uint32((3 << 3) | 0).uint32(9);
    w.uint32((2 << 3) | 5).fixed32(3);
    expect(decodeRequest(Buffer.concat([Buffer.from(w.finish()), known]))).toEqual(
      protoLoaderObject(Request, known),
    );
  });

  describe('against protobuf.js on a random corpus', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    const headers = fc.dictionary(
      text.filter((k) => k !== '__proto__'),
      text,
      { maxKeys: 6 },
    );
    const request: fc.Arbitrary<WireRequest> = fc.record({
      reqId: int64,
      metadata: fc.option(fc.record({ uri: text, headers }), { nil: null }),
      body: fc.string({ unit: 'binary', maxLength: 400 }),
    });
    const result: fc.Arbitrary<WireResult> = fc.record({
      reqId: fc.oneof(int64, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      status: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      message: text,
      data: fc.string({ unit: 'binary', maxLength: 400 }),
    });

    /** One unknown field (numbers that the messages do not use), groups nested up to three deep. */
    const unknownField: fc.Arbitrary<Buffer> = fc.letrec<{ field: Buffer }>((tie) => ({
      field: fc.oneof(
        { depthSize: 'small' },
        fc
          .tuple(fc.integer({ min: 5, max: 5000 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
          .map(([n, v]) => bytes((w) => w.uint32((n << 3) | 0).uint64(v.toString()))),
        fc
          .tuple(fc.integer({ min: 5, max: 5000 }), fc.integer())
          .map(([n, v]) => bytes((w) => w.uint32((n << 3) | 1).sfixed64(v))),
        fc
          .tuple(fc.integer({ min: 5, max: 5000 }), fc.uint8Array({ maxLength: 20 }))
          .map(([n, v]) => bytes((w) => w.uint32((n << 3) | 2).bytes(v))),
        fc
          .tuple(fc.integer({ min: 5, max: 5000 }), fc.integer())
          .map(([n, v]) => bytes((w) => w.uint32((n << 3) | 5).sfixed32(v))),
        fc
          .tuple(fc.integer({ min: 1, max: 5000 }), fc.array(tie('field'), { maxLength: 3 }))
          .map(([n, inner]) =>
            Buffer.concat([
              bytes((w) => w.uint32((n << 3) | 3)),
              ...inner,
              bytes((w) => w.uint32((n << 3) | 4)),
            ]),
          ),
      ),
    })).field;

    it('writes the bytes protobuf.js writes and decodes them like proto-loader', () => {
      fc.assert(
        fc.property(request, result, (req, res) => {
          const reqBytes = protobufBytes(Request, req);
          expect(encodeRequest(req).equals(reqBytes)).toBe(true);
          expect(decodeRequest(reqBytes)).toEqual(protoLoaderObject(Request, reqBytes));
          const resBytes = protobufBytes(Result, res);
          expect(encodeResult(res).equals(resBytes)).toBe(true);
          expect(decodeResult(resBytes)).toEqual(protoLoaderObject(Result, resBytes));
        }),
        { numRuns: 300 },
      );
    });

    it('decodes like protobuf.js with unknown fields of every wire type between the known ones', () => {
      fc.assert(
        fc.property(request, fc.array(unknownField, { maxLength: 4 }), fc.nat(), (req, unknown, at) => {
          const known = protobufBytes(Request, req);
          // Splice the unknown fields in at a field boundary of the top-level message.
          const cut = fieldBoundaries(known)[at % fieldBoundaries(known).length];
          const noisy = Buffer.concat([known.subarray(0, cut), ...unknown, known.subarray(cut)]);
          expect(decodeRequest(noisy)).toEqual(protoLoaderObject(Request, known));
          expect(decodeRequest(noisy)).toEqual(protoLoaderObject(Request, noisy));
        }),
        { numRuns: 300 },
      );
    });

    it('decodes a metadata split into several occurrences like the whole one (merge)', () => {
      fc.assert(
        fc.property(int64, text, headers, fc.nat(), (reqId, uri, h, split) => {
          const keys = Object.keys(h);
          const cut = keys.length === 0 ? 0 : split % (keys.length + 1);
          const part = (ks: string[]) => Object.fromEntries(ks.map((k) => [k, h[k]]));
          const w = protobuf.Writer.create().uint32(8).int64(reqId);
          w.uint32(18).bytes(
            Metadata.encode(Metadata.fromObject({ headers: part(keys.slice(0, cut)) })).finish(),
          );
          w.uint32(26).string('b');
          w.uint32(18).bytes(
            Metadata.encode(Metadata.fromObject({ uri, headers: part(keys.slice(cut)) })).finish(),
          );
          const split2 = Buffer.from(w.finish());
          const whole = protobufBytes(Request, { reqId, metadata: { uri, headers: h }, body: 'b' });
          expect(decodeRequest(split2)).toEqual(protoLoaderObject(Request, whole));
          expect(decodeRequest(split2)).toEqual(protoLoaderObject(Request, split2));
        }),
        { numRuns: 200 },
      );
    });

    it('accepts and refuses the same mutated bytes as protobuf.js, and agrees on what they mean', () => {
      fc.assert(
        fc.property(
          request,
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          fc.nat(),
          (req, edits, cut) => {
            const bytes = Buffer.from(protobufBytes(Request, req));
            for (const [i, b] of edits) if (bytes.length > 0) bytes[i % bytes.length] = b;
            const mutated = bytes.subarray(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1));
            let reference: object | Error;
            try {
              reference = protoLoaderObject(Request, mutated);
            } catch (e) {
              reference = e as Error;
            }
            if (reference instanceof Error && /utf-8/i.test(reference.message)) {
              // Strings that are not UTF-8 are decoded with U+FFFD where protobuf.js refuses them (wire-codec.ts,
              // LenientReader): compare with protobuf.js reading them the same way.
              try {
                reference = Request.toObject(Request.decode(new LenientReference(mutated)), toObjectOptions);
              } catch (e) {
                reference = e as Error;
              }
            }
            if (reference instanceof Error)
              expect(() => decodeRequest(mutated)).toThrow(/Malformed protobuf message/);
            else expect(decodeRequest(mutated)).toEqual(reference);
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});

const Metadata = root.lookupType('Metadata');

function bytes(write: (w: protobuf.Writer) => unknown): Buffer {
  const w = protobuf.Writer.create();
  write(w);
  return Buffer.from(w.finish());
}

/** Offsets at which a top-level field starts or the message ends. */
function fieldBoundaries(message: Buffer): number[] {
  const out = [0];
  const r = protobuf.Reader.create(message);
  while (r.pos < r.len) {
    r.skipType(r.uint32() & 7);
    out.push(r.pos);
  }
  return out;
}

describe('strings that are not well-formed UTF-16 or UTF-8', () => {
  const strict = new TextDecoder('utf-8', { fatal: true });

  it('writes lone surrogates as U+FFFD, so a Java peer can parse every message we send', () => {
    const text = 'a\ud800b\ude00中\ud83d';
    const bytes = encodeResult({ reqId: '1', status: 1, message: text, data: text });
    expect(() => strict.decode(bytes)).not.toThrow();
    const request = encodeRequest({
      reqId: '2',
      metadata: { uri: text, headers: { [text]: text } },
      body: text,
    });
    expect(() => strict.decode(request)).not.toThrow();
    const decoded = decodeRequest(request);
    expect(decoded.body).toBe('a\ufffdb\ufffd中\ufffd');
    expect(decoded.metadata?.headers).toEqual({ 'a\ufffdb\ufffd中\ufffd': 'a\ufffdb\ufffd中\ufffd' });
  });

  it('decodes a string field whose bytes are not UTF-8 with U+FFFD instead of refusing the call', () => {
    // GrpcSnailJobRequest.body (field 3, length-delimited) = 0x61 0xED 0xA0 0x80 (a CESU-8 lone surrogate).
    const bytes = Buffer.from([0x08, 0x07, 0x1a, 0x04, 0x61, 0xed, 0xa0, 0x80]);
    const decoded = decodeRequest(bytes);
    expect(decoded.reqId).toBe('7');
    expect(decoded.body.startsWith('a')).toBe(true);
    expect(decoded.body).toContain('\ufffd');
  });
});
