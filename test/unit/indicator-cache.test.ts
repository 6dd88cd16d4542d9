import { describe, expect, it } from 'vitest';
import { IndicatorCache } from '../../src/web/indicator-cache.js';

describe('indicator cache', () => {
  it('loads once for concurrent and later requests of the same key, apart for another key', async () => {
    const cache = new IndicatorCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get(['a', { x: 1 }], load), cache.get(['a', { x: 1 }], load)])).toEqual([1, 1]);
    expect(await cache.get(['a', { x: 1 }], load)).toBe(1);
    expect(await cache.get(['a', { x: 2 }], load)).toBe(2);
    cache.clear();
    expect(await cache.get(['a', { x: 1 }], load)).toBe(3);
  });

  it('forgets a failed load and an expired entry', async () => {
    const cache = new IndicatorCache(0);
    await expect(cache.get(['k'], () => Promise.reject(new Error('panne')))).rejects.toThrow('panne');
    expect(await cache.get(['k'], async () => 'ok')).toBe('ok');
    expect(await cache.get(['k'], async () => 'de nouveau')).toBe('de nouveau');
  });

  it('keeps at most its number of entries, dropping the oldest', async () => {
    const cache = new IndicatorCache(60_000, 2);
    await cache.get(['1'], async () => 1);
    await cache.get(['2'], async () => 2);
    await cache.get(['3'], async () => 3);
    expect(await cache.get(['1'], async () => 10)).toBe(10);
    expect(await cache.get(['3'], async () => 30)).toBe(3);
  });
});
