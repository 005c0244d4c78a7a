/** Resolves on the first SIGINT or SIGTERM (graceful shutdown); a second one exits at once. */
export function waitForShutdownSignal(onFirst?: (signal: string) => void): Promise<string> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      onFirst?.(signal)
      resolve(signal)
    }
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
  })
}
