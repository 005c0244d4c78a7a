/**
 * Small, fast, seeded randomness. Every simulated record draws from its own stream, seeded by
 * `streamSeed(seed, id, stream)`, so record N is the same whatever else was generated before it:
 * the simulator can derive any order on demand instead of keeping a million of them in memory.
 */

/** Named draw streams, so two uses of one record id never share numbers. */
export const STREAMS = {
  orderShape: 1,
  orderTimeline: 2,
  orderCustomer: 3,
  orderGap: 4,
  orderHidden: 5,
  person: 6,
  guest: 7,
  customerWeight: 8,
  customerDates: 9,
  faults: 10,
  mutations: 11,
} as const

/** A 32-bit avalanche hash of three integers (murmur3's finalizer applied per word). */
export function streamSeed(seed: number, id: number, stream: number): number {
  let h = Math.imul(seed ^ 0x2545f491, 0x9e3779b1)
  h = fmix(h ^ Math.imul(id | 0, 0x85ebca6b) ^ Math.imul(Math.floor(id / 4294967296), 0x27d4eb2f))
  h = fmix(h ^ Math.imul(stream, 0xc2b2ae35))
  return h >>> 0
}

function fmix(value: number): number {
  let h = value
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

/** mulberry32: one 32-bit word of state, plenty for test data and cheap to create per record. */
export class Rng {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  static of(seed: number, id: number, stream: number): Rng {
    return new Rng(streamSeed(seed, id, stream))
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Picks by weight; `cumulative` is the running sum of the weights (see cumulativeWeights). */
  pickWeighted<T>(items: readonly T[], cumulative: readonly number[]): T {
    const target = this.next() * cumulative[cumulative.length - 1]!
    let index = 0
    while (cumulative[index]! <= target) index++
    return items[index]!
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** `length` characters drawn from `alphabet`, two at a time from a table of pairs (tokens are on the hot path). */
  token(length: number, alphabet: string): string {
    const pairs = pairsOf(alphabet)
    const count = pairs.length
    const perWord = Math.floor(32 / Math.log2(count))
    let text = ''
    let word = 0
    for (let i = 0, drawn = 0; i < length; i += 2, drawn++) {
      if (drawn % perWord === 0) word = Math.floor(this.next() * 4294967296)
      const pair = pairs[word % count]!
      word = Math.floor(word / count)
      text += i + 1 < length ? pair : pair[0]
    }
    return text
  }
}

const PAIRS = new Map<string, readonly string[]>()

function pairsOf(alphabet: string): readonly string[] {
  let pairs = PAIRS.get(alphabet)
  if (!pairs) {
    pairs = [...alphabet].flatMap((a) => [...alphabet].map((b) => a + b))
    PAIRS.set(alphabet, pairs)
  }
  return pairs
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
export const HEX = '0123456789abcdef'

export function cumulativeWeights(weights: readonly number[]): number[] {
  let sum = 0
  return weights.map((weight) => (sum += weight))
}
