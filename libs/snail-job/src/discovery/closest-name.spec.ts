import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name.js';

describe('closestName', () => {
  it('finds a near miss and ignores distant names', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestName('dailyRport', ['dailyReport', 'weekly'])).toBe('dailyReport');
    expect(closestName('DAILYREPORT', ['dailyReport'])).toBe('dailyReport');
    expect(closestName('zzz', ['dailyReport', 'weekly'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
