import type { WireRequest, WireResult } from './proto-descriptor.js';

/**
 * Protobuf encoding of SnailJob's two wire messages (`proto/snail_job.proto`), written out by hand. The messages
 * are tiny and fixed, and a generic runtime (proto-loader + protobuf.js reflection) cost every process that loads
 * the library about 3 MiB of memory and every call a round of object conversion. The output is byte-for-byte what
 * protobuf.js writes, and decoding yields what proto-loader yields with `keepCase`, `longs: String` and
 * `defaults: true`; `wire-codec.spec.ts` checks both against protobuf.js.
 *
 * Like protobuf.js, a field is written when the object has it (not `null`/`undefined`), even at its default
 * value; unknown fields are skipped when reading.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const UINT64_MASK = (1n << 64n) - 1n;

/** Encodes a `GrpcSnailJobRequest`. */
export function encodeRequest(request: WireRequest): Buffer {
  const reqId = request.reqId == null ? undefined : int64(request.reqId);
  const metadata = request.metadata == null ? undefined : encodeMetadata(request.metadata);
  const body = request.body == null ? undefined : String(request.body);
  const bodyBytes = body === undefined ? 0 : utf8Length(body);
  let size = 0;
  if (reqId !== undefined) size += 1 + varint64Size(reqId);
  if (metadata !== undefined) size += 1 + varintSize(metadata.length) + metadata.length;
  if (body !== undefined) size += 1 + varintSize(bodyBytes) + bodyBytes;
  const w = new Writer(size);
  if (reqId !== undefined) {
    w.byte((1 << 3) | VARINT);
    w.varint64(reqId);
  }
  if (metadata !== undefined) {
    w.byte((2 << 3) | LENGTH_DELIMITED);
    w.varint(metadata.length);
    w.bytes(metadata);
  }
  if (body !== undefined) {
    w.byte((3 << 3) | LENGTH_DELIMITED);
    w.varint(bodyBytes);
    w.string(body, bodyBytes);
  }
  return w.buffer;
}

/** Decodes a `GrpcSnailJobRequest`; absent fields take their defaults (`metadata` → `null`). */
export function decodeRequest(buffer: Buffer): WireRequest {
  const request: WireRequest = { reqId: '0', metadata: null, body: '' };
  const r = new Reader(buffer, 0, buffer.length);
  while (r.more()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const type = tag & 7;
    if (field === 1 && type === VARINT) request.reqId = r.int64();
    else if (field === 2 && type === LENGTH_DELIMITED) request.metadata = decodeMetadata(r.sub());
    else if (field === 3 && type === LENGTH_DELIMITED) request.body = r.string();
    else r.skip(type);
  }
  return request;
}

/** Encodes a `GrpcResult`. */
export function encodeResult(result: WireResult): Buffer {
  const reqId = result.reqId == null ? undefined : int64(result.reqId);
  const status = result.status == null ? undefined : int32(result.status);
  const message = result.message == null ? undefined : String(result.message);
  const data = result.data == null ? undefined : String(result.data);
  const messageBytes = message === undefined ? 0 : utf8Length(message);
  const dataBytes = data === undefined ? 0 : utf8Length(data);
  let size = 0;
  if (reqId !== undefined) size += 1 + varint64Size(reqId);
  if (status !== undefined) size += 1 + varint64Size(status);
  if (message !== undefined) size += 1 + varintSize(messageBytes) + messageBytes;
  if (data !== undefined) size += 1 + varintSize(dataBytes) + dataBytes;
  const w = new Writer(size);
  if (reqId !== undefined) {
    w.byte((1 << 3) | VARINT);
    w.varint64(reqId);
  }
  if (status !== undefined) {
    w.byte((2 << 3) | VARINT);
    w.varint64(status);
  }
  if (message !== undefined) {
    w.byte((3 << 3) | LENGTH_DELIMITED);
    w.varint(messageBytes);
    w.string(message, messageBytes);
  }
  if (data !== undefined) {
    w.byte((4 << 3) | LENGTH_DELIMITED);
    w.varint(dataBytes);
    w.string(data, dataBytes);
  }
  return w.buffer;
}

/** Decodes a `GrpcResult`; absent fields take their defaults. */
export function decodeResult(buffer: Buffer): WireResult {
  const result: WireResult = { reqId: '0', status: 0, message: '', data: '' };
  const r = new Reader(buffer, 0, buffer.length);
  while (r.more()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const type = tag & 7;
    if (field === 1 && type === VARINT) result.reqId = r.int64();
    else if (field === 2 && type === VARINT) result.status = r.int32();
    else if (field === 3 && type === LENGTH_DELIMITED) result.message = r.string();
    else if (field === 4 && type === LENGTH_DELIMITED) result.data = r.string();
    else r.skip(type);
  }
  return result;
}

function encodeMetadata(metadata: NonNullable<WireRequest['metadata']>): Buffer {
  const uri = metadata.uri == null ? undefined : String(metadata.uri);
  const uriBytes = uri === undefined ? 0 : utf8Length(uri);
  const entries: [string, number, string, number, number][] = [];
  let size = 0;
  if (uri !== undefined) size += 1 + varintSize(uriBytes) + uriBytes;
  if (metadata.headers != null) {
    for (const key of Object.keys(metadata.headers)) {
      const value = String(metadata.headers[key]);
      const keyBytes = utf8Length(key);
      const valueBytes = utf8Length(value);
      const entryBytes = 1 + varintSize(keyBytes) + keyBytes + 1 + varintSize(valueBytes) + valueBytes;
      entries.push([key, keyBytes, value, valueBytes, entryBytes]);
      size += 1 + varintSize(entryBytes) + entryBytes;
    }
  }
  const w = new Writer(size);
  if (uri !== undefined) {
    w.byte((3 << 3) | LENGTH_DELIMITED);
    w.varint(uriBytes);
    w.string(uri, uriBytes);
  }
  for (const [key, keyBytes, value, valueBytes, entryBytes] of entries) {
    w.byte((7 << 3) | LENGTH_DELIMITED);
    w.varint(entryBytes);
    w.byte((1 << 3) | LENGTH_DELIMITED);
    w.varint(keyBytes);
    w.string(key, keyBytes);
    w.byte((2 << 3) | LENGTH_DELIMITED);
    w.varint(valueBytes);
    w.string(value, valueBytes);
  }
  return w.buffer;
}

function decodeMetadata(r: Reader): NonNullable<WireRequest['metadata']> {
  const metadata = { uri: '', headers: {} as Record<string, string> };
  while (r.more()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const type = tag & 7;
    if (field === 3 && type === LENGTH_DELIMITED) metadata.uri = r.string();
    else if (field === 7 && type === LENGTH_DELIMITED) {
      const entry = r.sub();
      let key = '';
      let value = '';
      while (entry.more()) {
        const entryTag = entry.varint();
        if (entryTag === ((1 << 3) | LENGTH_DELIMITED)) key = entry.string();
        else if (entryTag === ((2 << 3) | LENGTH_DELIMITED)) value = entry.string();
        else entry.skip(entryTag & 7);
      }
      if (key !== '__proto__') metadata.headers[key] = value;
      // An own property, not a prototype change (protobuf.js would have dropped it).
      else
        Object.defineProperty(metadata.headers, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    } else r.skip(type);
  }
  return metadata;
}

/** An int64 field value as an unsigned 64-bit two's-complement bigint (what goes on the wire). */
function int64(value: unknown): bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number') n = Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  else {
    const text = String(value).trim();
    n = /^[+-]?\d+$/.test(text) ? BigInt(text) : 0n;
  }
  return BigInt.asUintN(64, n);
}

/** An int32 field value, sign-extended to 64 bits as protobuf writes negative int32s. */
function int32(value: unknown): bigint {
  const n = Number(value) | 0;
  return BigInt.asUintN(64, BigInt(n));
}

/** Strings shorter than this are measured, written and read in JavaScript (cheaper than a call into C++). */
const SHORT_STRING = 48;

/** UTF-8 length of `s`. */
function utf8Length(s: string): number {
  if (s.length < SHORT_STRING) {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
    return s.length;
  }
  return Buffer.byteLength(s);
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function varint64Size(n: bigint): number {
  if (n < 0x80n) return 1;
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

class Writer {
  readonly buffer: Buffer;
  private pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  byte(b: number): void {
    this.buffer[this.pos++] = b;
  }

  /** A non-negative integer below 2^53 (lengths). */
  varint(n: number): void {
    while (n >= 0x80) {
      this.buffer[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buffer[this.pos++] = n;
  }

  varint64(n: bigint): void {
    if (n < 0x80n) {
      this.buffer[this.pos++] = Number(n);
      return;
    }
    let v = n & UINT64_MASK;
    while (v >= 0x80n) {
      this.buffer[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.pos++] = Number(v);
  }

  bytes(b: Buffer): void {
    b.copy(this.buffer, this.pos);
    this.pos += b.length;
  }

  string(s: string, byteLength: number): void {
    if (byteLength === s.length && byteLength < SHORT_STRING) {
      // As many bytes as characters: all ASCII.
      for (let i = 0; i < byteLength; i++) this.buffer[this.pos++] = s.charCodeAt(i);
      return;
    }
    this.buffer.write(s, this.pos, byteLength, 'utf8');
    this.pos += byteLength;
  }
}

/** Thrown for bytes that are not a well-formed message (grpc-js turns it into an INTERNAL call error). */
class TruncatedMessageError extends Error {
  constructor(what: string) {
    super(`Malformed protobuf message: ${what}`);
    this.name = 'TruncatedMessageError';
  }
}

class Reader {
  constructor(
    private readonly buffer: Buffer,
    private pos: number,
    private readonly end: number,
  ) {}

  more(): boolean {
    return this.pos < this.end;
  }

  /** A varint that fits in 32 bits (tags, lengths). */
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new TruncatedMessageError('truncated varint');
      const b = this.buffer[this.pos++];
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result = (result | ((b & 0x0f) << 28)) >>> 0;
      if (b < 0x80) return result >>> 0;
      shift += 7;
      if (shift > 63) throw new TruncatedMessageError('varint longer than 10 bytes');
    }
  }

  /** A full 64-bit varint as an unsigned bigint. */
  private varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new TruncatedMessageError('truncated varint');
      const b = this.buffer[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result & UINT64_MASK;
      shift += 7n;
      if (shift > 63n) throw new TruncatedMessageError('varint longer than 10 bytes');
    }
  }

  /** An int64 as the decimal string proto-loader gives with `longs: String`. */
  int64(): string {
    const start = this.pos;
    // Fast path: up to 7 bytes (< 2^49) is exact as a number and never negative.
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7 && this.pos < this.end; i++) {
      const b = this.buffer[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return String(result);
      scale *= 0x80;
    }
    this.pos = start;
    return BigInt.asIntN(64, this.varint64()).toString();
  }

  int32(): number {
    const start = this.pos;
    const first = this.varint();
    const length = this.pos - start;
    if (length <= 4) return first | 0;
    this.pos = start;
    return Number(BigInt.asIntN(32, this.varint64()));
  }

  private length(): number {
    const n = this.varint();
    if (n > this.end - this.pos) throw new TruncatedMessageError('length beyond the end of the message');
    return n;
  }

  string(): string {
    const n = this.length();
    const start = this.pos;
    const end = start + n;
    this.pos = end;
    if (n < SHORT_STRING) {
      let s = '';
      for (let i = start; i < end; i++) {
        const b = this.buffer[i];
        if (b > 0x7f) return this.buffer.toString('utf8', start, end);
        s += String.fromCharCode(b);
      }
      return s;
    }
    return this.buffer.toString('utf8', start, end);
  }

  /** A reader over the next length-delimited field. */
  sub(): Reader {
    const n = this.length();
    const reader = new Reader(this.buffer, this.pos, this.pos + n);
    this.pos += n;
    return reader;
  }

  skip(type: number): void {
    switch (type) {
      case VARINT:
        this.varint64();
        return;
      case FIXED64:
        this.advance(8);
        return;
      case LENGTH_DELIMITED:
        this.advance(this.length());
        return;
      case FIXED32:
        this.advance(4);
        return;
      default:
        throw new TruncatedMessageError(`unsupported wire type ${type}`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new TruncatedMessageError('field beyond the end of the message');
    this.pos += n;
  }
}
