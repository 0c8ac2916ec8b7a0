import { describe, expect, it } from 'vitest';
import {
  decodeBody,
  decodeData,
  encodeBody,
  encodeData,
  isAccepted,
  MalformedBodyError,
} from './envelope.js';
import { parseArgsHolder, stringList } from './args-holder.js';

describe('envelope', () => {
  it('encodes arguments as a JSON array and no arguments as null', () => {
    expect(encodeBody(['PING', { state: 'up' }])).toBe('["PING",{"state":"up"}]');
    expect(encodeBody([[{ executorInfo: 'a' }]])).toBe('[[{"executorInfo":"a"}]]');
    expect(encodeBody(null)).toBe('null');
  });

  it('decodes bodies, treating null and empty as no arguments', () => {
    expect(decodeBody('[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(decodeBody('null')).toEqual([]);
    expect(decodeBody('')).toEqual([]);
    expect(() => decodeBody('{"a":1}')).toThrow(MalformedBodyError);
    expect(() => decodeBody('[')).toThrow(MalformedBodyError);
  });

  it('encodes data as JSON text with "null" for nothing', () => {
    expect(encodeData(true)).toBe('true');
    expect(encodeData('PONG')).toBe('"PONG"');
    expect(encodeData(undefined)).toBe('null');
    expect(encodeData(null)).toBe('null');
    expect(decodeData('"PONG"')).toBe('PONG');
    expect(decodeData('null')).toBeNull();
    expect(decodeData('')).toBeNull();
  });

  it('accepts a dispatch only on status 1 with data true', () => {
    expect(isAccepted({ status: 1, data: 'true' })).toBe(true);
    expect(isAccepted({ status: 1, data: 'false' })).toBe(false);
    expect(isAccepted({ status: 0, data: 'true' })).toBe(false);
  });
});

describe('argsStr', () => {
  it('parses the JobArgsHolder and falls back to the raw text', () => {
    expect(parseArgsHolder('{"jobParams":"hello"}')).toEqual({ jobParams: 'hello' });
    expect(parseArgsHolder('{"jobParams":"cfg","maps":""}')).toEqual({ jobParams: 'cfg', maps: '' });
    expect(parseArgsHolder('not json')).toEqual({ jobParams: 'not json' });
    expect(parseArgsHolder(undefined)).toEqual({});
  });

  it('reads maps/reduces lists given as arrays or as one JSON-array string', () => {
    expect(stringList(['10', '{"v":30}', ''])).toEqual(['10', '{"v":30}', '']);
    expect(stringList('["1","2"]')).toEqual(['1', '2']);
    expect(stringList(undefined)).toEqual([]);
  });
});
