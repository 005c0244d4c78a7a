/** What is stored of a record, as far as the merge rule needs to know. */
export interface StoredVersion {
  readonly updatedAt: string | null
  readonly hash: string
  readonly deletedAt: string | null
}

export interface IncomingVersion {
  readonly updatedAt: string | null
  readonly hash: string
  readonly deletedAt: string | null
}

export const MERGE_OUTCOMES = ['created', 'updated', 'unchanged', 'stale'] as const
export type MergeOutcome = (typeof MERGE_OUTCOMES)[number]

/**
 * The merge rule: a record only moves forward.
 * - nothing stored → created
 * - same content hash → unchanged
 * - incoming provider time older than the stored one (or than its tombstone) → stale, stored wins
 * - equal times but different content → updated (never drop a different payload on a tie)
 * Times are ISO 8601 UTC strings of one format, so they compare as strings.
 */
export function mergeRule(stored: StoredVersion | undefined, incoming: IncomingVersion): MergeOutcome {
  if (!stored) return 'created'
  if (stored.hash === incoming.hash) return 'unchanged'
  const storedTime = latest(stored.updatedAt, stored.deletedAt)
  if (storedTime !== null && incoming.updatedAt !== null) {
    const incomingTime = latest(incoming.updatedAt, incoming.deletedAt)!
    if (incomingTime < storedTime) return 'stale'
  }
  return 'updated'
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return a > b ? a : b
}
