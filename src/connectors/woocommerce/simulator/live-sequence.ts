/**
 * A fixed order of positions, each live or dead, that answers "how many live before p" and "where
 * is the k-th live one" in O(log n) (a Fenwick tree over the live flags). It lets a list endpoint
 * count and page over a million rows while single rows leave the listing (trashed, or moved to the
 * end of the modified order) without rebuilding anything.
 */
export class LiveSequence {
  #flags: Uint8Array
  #tree: Int32Array
  #size: number
  #topBit: number

  /** `flags[p]` is 1 when position p is live; the sequence takes ownership of the array. */
  constructor(flags: Uint8Array) {
    this.#flags = flags
    this.#size = flags.length
    this.#tree = new Int32Array(flags.length + 1)
    this.#topBit = 1
    this.#rebuild()
  }

  get size(): number {
    return this.#size
  }

  isLive(position: number): boolean {
    return this.#flags[position] === 1
  }

  set(position: number, live: boolean): void {
    const flag = live ? 1 : 0
    if (this.#flags[position] === flag) return
    this.#flags[position] = flag
    const delta = live ? 1 : -1
    for (let i = position + 1; i <= this.#size; i += i & -i) this.#tree[i]! += delta
  }

  /** Live positions in [0, position). */
  countBefore(position: number): number {
    let sum = 0
    for (let i = Math.min(position, this.#size); i > 0; i -= i & -i) sum += this.#tree[i]!
    return sum
  }

  /** Live positions in [from, to). */
  count(from: number, to: number): number {
    return to <= from ? 0 : this.countBefore(to) - this.countBefore(from)
  }

  /** The position of the k-th live entry (k from 0), or -1 when there are not that many. */
  findKth(k: number): number {
    let remaining = k + 1
    let position = 0
    for (let bit = this.#topBit; bit > 0; bit >>= 1) {
      const next = position + bit
      if (next <= this.#size && this.#tree[next]! < remaining) {
        position = next
        remaining -= this.#tree[next]!
      }
    }
    return position < this.#size ? position : -1
  }

  /** Up to `count` live positions, in order, starting with the k-th live one. */
  collect(k: number, count: number): number[] {
    const positions: number[] = []
    let position = count > 0 ? this.findKth(k) : -1
    while (position >= 0 && position < this.#size && positions.length < count) {
      if (this.#flags[position] === 1) positions.push(position)
      position++
    }
    return positions
  }

  /** Extends the sequence to `size` positions; new positions start dead. */
  grow(size: number): void {
    if (size <= this.#size) return
    const flags = new Uint8Array(size)
    flags.set(this.#flags)
    this.#flags = flags
    this.#size = size
    this.#tree = new Int32Array(size + 1)
    this.#rebuild()
  }

  #rebuild(): void {
    const tree = this.#tree
    tree.fill(0)
    for (let i = 1; i <= this.#size; i++) {
      tree[i]! += this.#flags[i - 1]!
      const parent = i + (i & -i)
      if (parent <= this.#size) tree[parent]! += tree[i]!
    }
    this.#topBit = 1
    while (this.#topBit * 2 <= this.#size) this.#topBit *= 2
  }
}
