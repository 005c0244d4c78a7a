import pino from 'pino'

export type Logger = pino.Logger

/** One JSON line per event; secrets redacted by path (STYLE §3). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'credentials',
          '*.credentials',
          'secret',
          '*.secret',
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  )
}
