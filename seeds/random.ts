// Seeded randomness: every draw of the generator comes from here, never from Math.random.

/** FNV-1a then a murmur finaliser: a well-spread 32-bit hash of a label. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A stateless draw in [0, 1) from integers: the same keys always give the same number, in any order. */
export function hashUnit(seed: number, a: number, b: number, salt: number): number {
  let h = mix32(seed ^ Math.imul(a + 0x9e3779b9, 0x27d4eb2d));
  h = mix32(h ^ Math.imul(b + 0x7f4a7c15, 0x165667b1));
  h = mix32(h ^ Math.imul(salt + 0x632be5ab, 0x2545f491));
  return h / 4294967296;
}

/** sfc32: small and fast with a long period; one stream per label so that parts of the data do not shift each other. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    let state = hashString(`${seed}/${stream}`);
    const next = () => {
      state = (state + 0x9e3779b9) | 0;
      return mix32(state);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer between min and max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One of a short list of [value, weight] pairs. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const choice of choices) total += choice[1];
    let target = this.next() * total;
    for (const choice of choices) {
      target -= choice[1];
      if (target < 0) return choice[0];
    }
    return (choices[choices.length - 1] as readonly [T, number])[0];
  }

  /** A whole number of days or months with the given mean, for waiting times. */
  geometric(mean: number): number {
    return Math.floor(-Math.log(1 - this.next()) * mean);
  }
}

/** Weighted draws from a long list: cumulative weights and a binary search. */
export class WeightedSampler<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    for (let i = 0; i < items.length; i++) {
      total += weightOf(items[i] as T);
      this.cumulative[i] = total;
    }
    this.total = total;
  }

  get size(): number {
    return this.items.length;
  }

  sample(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.items.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
