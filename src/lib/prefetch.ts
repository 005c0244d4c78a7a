/**
 * Iterates `source` one step ahead: while the consumer works on item N, item N+1 is already being
 * produced (a sync applies a page while the next one downloads). Holds at most one extra item.
 * When the consumer stops early, the step in flight is awaited and the source is closed.
 */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  let ahead = iterator.next()
  // Observed below; this only keeps a rejection from counting as unhandled while the consumer works.
  ahead.catch(() => undefined)
  let finished = false
  try {
    for (;;) {
      const step = await ahead
      if (step.done) {
        finished = true
        return
      }
      ahead = iterator.next()
      ahead.catch(() => undefined)
      yield step.value
    }
  } finally {
    if (!finished) {
      await ahead.catch(() => undefined)
      await iterator.return?.(undefined)
    }
  }
}
