import { describe, expect, it } from 'vitest';
import { httpBaseUrl } from './http-url.js';

describe('httpBaseUrl', () => {
  it('keeps an http(s) URL and drops its trailing slashes', () => {
    expect(httpBaseUrl('http://127.0.0.1:8080/snail-job//')).toBe('http://127.0.0.1:8080/snail-job');
    expect(httpBaseUrl('https://[::1]/sj')).toBe('https://[::1]/sj');
  });

  it.each([['sj:8080'], ['ftp://h/x'], ['not a url'], [''], [8080], [undefined]])('refuses %j', (text) => {
    expect(httpBaseUrl(text)).toBeUndefined();
  });
});
