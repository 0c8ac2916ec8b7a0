import { stringifyJson } from 'nestjs-snail-job/protocol';
import { parseId } from '../common/ids.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return stringifyJson(value);
  } catch {
    return String(value);
  }
}

/** Reads fields of a JSON request body with clear 400 errors ("Field "x" must be …; got …"). */
export class InputReader {
  private readonly body: Record<string, unknown>;

  constructor(
    private readonly what: string,
    body: unknown,
  ) {
    if (body === undefined || body === null) body = {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidInputError(`${what} must be a JSON object; got ${show(body)}.`);
    }
    this.body = body as Record<string, unknown>;
  }

  /** Fails with a message about `field`. */
  fail(field: string, expected: string): never {
    throw new InvalidInputError(
      `${this.what}: field "${field}" must be ${expected}; got ${show(this.body[field])}.`,
    );
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  string(field: string, required: true): string;
  string(field: string, required?: false): string | undefined;
  string(field: string, required = false): string | undefined {
    if (!this.has(field)) return required ? this.fail(field, 'a non-empty string') : undefined;
    const v = this.body[field];
    if (typeof v !== 'string' || (required && v.trim() === '')) this.fail(field, 'a non-empty string');
    return v;
  }

  /** A string, or any other JSON value serialised to JSON text (handy for args given as arrays/objects). */
  text(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const v = this.body[field];
    return typeof v === 'string' ? v : stringifyJson(v);
  }

  int(field: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (!this.has(field)) return fallback;
    const v = this.body[field];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.fail(
        field,
        max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`,
      );
    }
    return n;
  }

  /** An integer code given as a number or as its enum name (e.g. `"SHARDING"`). */
  code(field: string, names: Record<string, number>, fallback?: number): number {
    const v = this.body[field];
    const listing = Object.entries(names)
      .map(([k, n]) => `${n} (${k})`)
      .join(', ');
    if (v === undefined || v === null) return fallback ?? this.fail(field, `one of ${listing}`);
    const n =
      typeof v === 'string' && Object.hasOwn(names, v.toUpperCase()) ? names[v.toUpperCase()] : Number(v);
    if (!Object.values(names).includes(n)) this.fail(field, `one of ${listing}`);
    return n;
  }

  id(field: string, required: true): bigint;
  id(field: string, required?: false): bigint | undefined;
  id(field: string, required = false): bigint | undefined {
    if (!this.has(field)) return required ? this.fail(field, 'an id (integer or decimal string)') : undefined;
    return parseId(this.body[field]) ?? this.fail(field, 'an id (integer or decimal string)');
  }

  /** A JSON object given as an object or as JSON object text. */
  objectText(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const v = this.body[field];
    if (typeof v === 'object' && !Array.isArray(v)) return stringifyJson(v);
    if (typeof v === 'string') {
      try {
        const parsed: unknown = JSON.parse(v);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return v;
      } catch {
        // reported below
      }
    }
    return this.fail(field, 'a JSON object (or its JSON text)');
  }
}

/** Parses an id from a route parameter. */
export function routeId(kind: string, value: string): bigint {
  const id = parseId(value);
  if (id === undefined)
    throw new InvalidInputError(`${kind} id must be an integer; got ${JSON.stringify(value)}.`);
  return id;
}
