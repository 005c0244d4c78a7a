/**
 * Query strings as PHP reads them into `$_GET`: `+` is a space, `a[]=x&a[]=y` and `a[0]=x` become
 * the array `a`, a repeated key keeps its last value. The raw pairs are kept too: the OAuth
 * signature and the Link header are built from them.
 *
 * Repeats are normal: the official JS client sends every parameter twice (once in the URL it
 * signed, once more in the oauth parameters axios appends, which oauth-1.0a merged them into).
 */

export type ParamValue = string | string[]
export type QueryParams = ReadonlyMap<string, ParamValue>

export interface ParsedQuery {
  /** Decoded (key, value) pairs in request order. */
  readonly pairs: ReadonlyArray<readonly [string, string]>
  /** Raw, still-encoded segments (`key=value`) in request order. */
  readonly segments: readonly string[]
  readonly params: QueryParams
}

export function parseQuery(query: string): ParsedQuery {
  const pairs: [string, string][] = []
  const segments: string[] = []
  const scalars = new Map<string, string>()
  /** name → (index → value); `a[]` appends under a fresh index, `a[i]` overwrites index i. */
  const arrays = new Map<string, Map<string, string>>()
  if (query !== '') {
    for (const segment of query.split('&')) {
      if (segment === '') continue
      segments.push(segment)
      const equals = segment.indexOf('=')
      const key = decode(equals < 0 ? segment : segment.slice(0, equals))
      const value = equals < 0 ? '' : decode(segment.slice(equals + 1))
      pairs.push([key, value])
      const bracket = ARRAY_KEY.exec(key)
      if (bracket) {
        const items = arrays.get(bracket[1]!) ?? new Map<string, string>()
        items.set(bracket[2] === '' ? `#${items.size}` : bracket[2]!, value)
        arrays.set(bracket[1]!, items)
      } else {
        scalars.set(key, value)
      }
    }
  }
  const params = new Map<string, ParamValue>(scalars)
  for (const [name, items] of arrays) params.set(name, [...items.values()])
  return { pairs, segments, params }
}

const ARRAY_KEY = /^([^[\]]+)\[([^\]]*)\]$/

/** urldecode(): `+` is a space; a malformed escape is left as it is rather than failing the request. */
export function decode(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced.replace(/%([0-9a-f]{2})/gi, (sequence, hex: string) => {
      try {
        return decodeURIComponent(`%${hex}`)
      } catch {
        return sequence
      }
    })
  }
}

/** The query with `page` set to `page` (replaced where it was, else appended), for Link headers. */
export function withPage(segments: readonly string[], page: number): string {
  let replaced = false
  const out = segments.map((segment) => {
    if (segment === 'page' || segment.startsWith('page=')) {
      replaced = true
      return `page=${page}`
    }
    return segment
  })
  if (!replaced) out.push(`page=${page}`)
  return out.join('&')
}
