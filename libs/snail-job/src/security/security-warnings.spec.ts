import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import { securityWarnings } from './security-warnings.js';
import { tokenCheck } from './token-check.js';

describe('securityWarnings', () => {
  const demo = resolveOptions({}, {});

  it('warns about the demo token and namespace in production only', () => {
    expect(securityWarnings(demo, {})).toEqual([]);
    expect(securityWarnings(demo, { NODE_ENV: 'development' })).toEqual([]);
    const warnings = securityWarnings(demo, { NODE_ENV: 'production' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('SNAIL_TOKEN');
    expect(warnings[1]).toContain('SNAIL_NAMESPACE');
  });

  it('is silent with a real token and namespace', () => {
    const real = resolveOptions({ token: 'SJ_real', namespace: 'prod-ns' }, {});
    expect(securityWarnings(real, { NODE_ENV: 'production' })).toEqual([]);
  });
});

describe('tokenCheck', () => {
  it('accepts only the exact token', () => {
    const check = tokenCheck('SJ_secret');
    expect(check('SJ_secret')).toBe(true);
    for (const bad of ['sj_secret', 'SJ_secret ', '', 'SJ_secre', undefined, null, 42]) {
      expect(check(bad)).toBe(false);
    }
  });
});
