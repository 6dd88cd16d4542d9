/**
 * Indicator reads kept in memory until the next refresh: indicators only change when refreshIndicators runs,
 * which sends NOTIFY sillage_indicators. A dropped LISTEN connection is reopened, emptying the cache
 * (src/indicators/listener.ts); the time limit covers the gap.
 */
export class IndicatorCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; until: number }>();
  /** How many times the cache was emptied: tests wait on it after a refresh or an import. */
  clears = 0;

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 2_000,
  ) {}

  /** The cached answer for this key, or `load()` once, shared by concurrent requests. A failure is not kept. */
  get<T>(key: unknown[], load: () => Promise<T>): Promise<T> {
    const id = JSON.stringify(key);
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const value = load();
    this.entries.set(id, { value, until: now + this.ttlMs });
    value.catch(() => this.entries.delete(id));
    return value;
  }

  clear(): void {
    this.clears++;
    this.entries.clear();
  }
}
