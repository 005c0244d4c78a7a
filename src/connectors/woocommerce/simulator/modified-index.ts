import { LiveSequence } from './live-sequence.ts'

/**
 * Every listed order ordered by (date_modified_gmt, id), the order of `orderby=modified` and of the
 * connector's incremental scans (providers.md §7.2). A key packs both into one exactly representable
 * double: `modifiedSecondsSinceEpoch * 2^26 + id`, so keys sort as the pair does.
 *
 * The startup orders live in one sorted array; an order that changes leaves it (a dead position)
 * and joins a small sorted tail, as in Woo where a modified row jumps to the end. Changes are always
 * stamped at or after the start, so the tail sorts after the base and the two concatenate.
 * Counting a range and fetching a page of it cost O(log n + page).
 */

export const ID_BITS = 26
const ID_SPACE = 2 ** ID_BITS
/** Keys stay exact below 2^53: the packed seconds must stay below 2^27 (four years after the epoch). */
export const MAX_RELATIVE_SECONDS = 2 ** (53 - ID_BITS) - 1
export const MAX_ORDER_ID = ID_SPACE - 1

export function modifiedKey(relativeSeconds: number, id: number): number {
  return relativeSeconds * ID_SPACE + id
}

export function idOfKey(key: number): number {
  return key % ID_SPACE
}

export interface KeyRange {
  readonly total: number
  /** Ids of the range's entries [from, to) in ascending key order. */
  slice(from: number, to: number): number[]
}

export class ModifiedIndex {
  readonly #baseKeys: Float64Array
  readonly #base: LiveSequence
  /** Position of each id in the base keys, -1 once it left them (or never was there). */
  readonly #basePosition: Int32Array
  readonly #tail = new SortedKeys()
  readonly #tailKeyOf = new Map<number, number>()

  /** `keys` are the listed startup orders' keys, sorted ascending; `maxId` bounds their ids. */
  constructor(keys: Float64Array, maxId: number) {
    this.#baseKeys = keys
    this.#basePosition = new Int32Array(maxId + 1).fill(-1)
    for (let position = 0; position < keys.length; position++) this.#basePosition[idOfKey(keys[position]!)] = position
    this.#base = new LiveSequence(new Uint8Array(keys.length).fill(1))
  }

  /** Moves each order to its new key, or out of the index when the key is null (no longer listed). */
  update(changes: ReadonlyArray<{ readonly id: number; readonly key: number | null }>): void {
    // One batch may move an order twice: only its last move counts.
    const finalKeys = new Map<number, number | null>()
    for (const { id, key } of changes) finalKeys.set(id, key)
    const removed: number[] = []
    const added: number[] = []
    for (const [id, key] of finalKeys) {
      const position = id < this.#basePosition.length ? this.#basePosition[id]! : -1
      if (position >= 0) {
        this.#base.set(position, false)
        this.#basePosition[id] = -1
      }
      const previous = this.#tailKeyOf.get(id)
      if (previous !== undefined) removed.push(previous)
      if (key === null) {
        this.#tailKeyOf.delete(id)
      } else {
        added.push(key)
        this.#tailKeyOf.set(id, key)
      }
    }
    this.#tail.replace(removed, added)
  }

  /** Entries with from ≤ key < to. */
  range(fromKey: number, toKey: number): KeyRange {
    const keys = this.#baseKeys
    const lo = lowerBound(keys, keys.length, fromKey)
    const hi = Math.max(lo, lowerBound(keys, keys.length, toKey))
    const liveBefore = this.#base.countBefore(lo)
    const baseCount = this.#base.countBefore(hi) - liveBefore
    const tailLo = this.#tail.lowerBound(fromKey)
    const tailHi = Math.max(tailLo, this.#tail.lowerBound(toKey))
    const base = this.#base
    const tail = this.#tail
    return {
      total: baseCount + tailHi - tailLo,
      slice(from: number, to: number): number[] {
        const ids: number[] = []
        if (from < baseCount) {
          for (const position of base.collect(liveBefore + from, Math.min(to, baseCount) - from)) {
            ids.push(idOfKey(keys[position]!))
          }
        }
        for (let i = Math.max(from, baseCount); i < to && tailLo + i - baseCount < tailHi; i++) {
          ids.push(idOfKey(tail.at(tailLo + i - baseCount)))
        }
        return ids
      },
    }
  }
}

/** A sorted, growable array of keys, changed in batches (one mutation call, one PUT). */
class SortedKeys {
  #keys = new Float64Array(1024)
  #length = 0

  at(index: number): number {
    return this.#keys[index]!
  }

  lowerBound(key: number): number {
    return lowerBound(this.#keys, this.#length, key)
  }

  replace(removed: readonly number[], added: readonly number[]): void {
    if (removed.length > 0) {
      const gone = new Set(removed)
      let kept = 0
      for (let i = 0; i < this.#length; i++) {
        const key = this.#keys[i]!
        if (!gone.has(key)) this.#keys[kept++] = key
      }
      this.#length = kept
    }
    if (added.length === 0) return
    if (this.#length + added.length > this.#keys.length) {
      const grown = new Float64Array(Math.max(this.#keys.length * 2, this.#length + added.length))
      grown.set(this.#keys.subarray(0, this.#length))
      this.#keys = grown
    }
    const start = this.#length
    for (const key of added) this.#keys[this.#length++] = key
    // New keys are usually the largest (stamped now); sort only when they are not.
    const view = this.#keys.subarray(0, this.#length)
    let sorted = start === 0 || view[start - 1]! <= view[start]!
    for (let i = start + 1; sorted && i < this.#length; i++) sorted = view[i - 1]! <= view[i]!
    if (!sorted) view.sort()
  }
}

/** First index in [0, length) whose value is ≥ key. */
export function lowerBound(values: ArrayLike<number>, length: number, key: number): number {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
