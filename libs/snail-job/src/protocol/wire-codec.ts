import protobuf from 'protobufjs/minimal.js';
import { GrpcResult, GrpcSnailJobRequest, type Metadata } from './generated/snail_job.pb.js';
import type { WireRequest, WireResult } from './wire-types.js';

/**
 * The gRPC (de)serialisers of SnailJob's two wire messages, over the code that protobufjs-cli generates from
 * `proto/snail_job.proto` into `generated/` (static code on `protobufjs/minimal`: no reflection at run time, see
 * docs/protocol-codec.md). This file only maps between the generated message objects and the plain shapes the
 * library passes around: ids as decimal strings (never a lossy number), an absent `metadata` as `null`, every
 * other absent field at its proto3 default.
 *
 * Decoding follows the protobuf encoding rules: unknown fields of every wire type (groups included) are skipped,
 * a known field with another wire type is skipped as unknown, a tag with field number 0 is refused, and a
 * `metadata` that occurs twice is merged (later fields win, header maps are joined).
 */

/** The int64 type of the generated code: a number, or a `Long` (the class protobufjs decodes int64 into). */
type Int64 = NonNullable<GrpcResult.$Properties['reqId']>;
/** protobufjs's `Long` class (its own typings describe it as a bare constructor). */
const Long = protobuf.util.Long as unknown as { fromString(text: string): Exclude<Int64, number> };

/**
 * Strings are written as well-formed UTF-8: protobufjs writes a lone surrogate of a short string as bytes that
 * are not UTF-8, which a Java peer (protobuf-java, proto3 `string`) refuses to parse, so it would never accept
 * a report carrying one. A lone surrogate becomes U+FFFD, as `Buffer.from(text)` does.
 */
function wellFormed(text: unknown): string {
  return (String(text) as string & { toWellFormed(): string }).toWellFormed();
}

/**
 * A reader that decodes strings that are not UTF-8 with U+FFFD instead of refusing the message (the generated
 * code verifies them, proto3-style): every call gets an answer, as before the generated codec, and a sender
 * that wrote a lone surrogate is not cut off. Used only for our own decodes; protobufjs's shared Reader is left alone.
 */
class LenientReader extends protobuf.Reader {
  override stringVerify(): string {
    return this.string();
  }
}

/** Thrown for bytes that are not a well-formed message (grpc-js turns it into an INTERNAL call error). */
export class MalformedMessageError extends Error {
  constructor(what: string) {
    super(`Malformed protobuf message: ${what}`);
    this.name = 'MalformedMessageError';
  }
}

/** Encodes a `GrpcSnailJobRequest`. */
export function encodeRequest(request: WireRequest): Buffer {
  const message: GrpcSnailJobRequest.$Properties = {};
  if (request.reqId != null) message.reqId = int64(request.reqId);
  if (request.metadata != null) message.metadata = metadataProperties(request.metadata);
  if (request.body != null) message.body = wellFormed(request.body);
  return GrpcSnailJobRequest.encode(message).finish() as Buffer;
}

/** Decodes a `GrpcSnailJobRequest`; absent fields take their defaults (`metadata` → `null`). */
export function decodeRequest(buffer: Buffer): WireRequest {
  const message = decodeWith(() => GrpcSnailJobRequest.decode(new LenientReader(buffer)));
  const metadata = message.metadata as Metadata | null | undefined;
  return {
    reqId: message.reqId.toString(),
    metadata: metadata ? { uri: metadata.uri, headers: metadata.headers } : null,
    body: message.body,
  };
}

/** Encodes a `GrpcResult`. */
export function encodeResult(result: WireResult): Buffer {
  const message: GrpcResult.$Properties = {};
  if (result.reqId != null) message.reqId = int64(result.reqId);
  if (result.status != null) message.status = Number(result.status) | 0;
  if (result.message != null) message.message = wellFormed(result.message);
  if (result.data != null) message.data = wellFormed(result.data);
  return GrpcResult.encode(message).finish() as Buffer;
}

/** Decodes a `GrpcResult`; absent fields take their defaults. */
export function decodeResult(buffer: Buffer): WireResult {
  const message = decodeWith(() => GrpcResult.decode(new LenientReader(buffer)));
  return {
    reqId: message.reqId.toString(),
    status: message.status,
    message: message.message,
    data: message.data,
  };
}

function decodeWith<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new MalformedMessageError((error as Error).message);
  }
}

function metadataProperties(metadata: NonNullable<WireRequest['metadata']>): Metadata.$Properties {
  const properties: Metadata.$Properties = {};
  if (metadata.uri != null) properties.uri = wellFormed(metadata.uri);
  if (metadata.headers != null) {
    properties.headers = stringValues(metadata.headers);
  }
  return properties;
}

function stringValues(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(headers)) {
    Object.defineProperty(out, wellFormed(key), {
      value: wellFormed(headers[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * An int64 field value: a number while it is exact, else a `Long` (64-bit two's complement, as protobuf writes
 * it). Accepts what callers hold: a decimal string, a number or a bigint; anything else is 0.
 */
function int64(value: unknown): Int64 {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else {
    const text = String(value).trim();
    if (!/^[+-]?\d+$/.test(text)) return 0;
    n = BigInt(text);
  }
  n = BigInt.asIntN(64, n);
  const small = Number(n);
  return Number.isSafeInteger(small) ? small : Long.fromString(n.toString());
}
