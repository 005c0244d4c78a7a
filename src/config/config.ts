import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/**
 * The only reader of process.env and of the config file. Everything has a default, so the
 * embedded mode needs no configuration at all. Keys are TRIBUTARY_* in the environment and the
 * camelCase name in the optional JSON file (TRIBUTARY_CONFIG_FILE, or ./tributary.config.json).
 */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback)

const schema = z.object({
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'expected sqlite:<path> or postgres://…')
    .optional(),
  secretKey: z
    .string()
    .refine((value) => decodeKey(value) !== undefined, 'expected 32 bytes as 64 hex characters or base64')
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  workerConcurrency: positiveInt(2),
  leaseMs: positiveInt(60_000),
  heartbeatMs: positiveInt(10_000),
  pollMs: positiveInt(1_000),
  providerTimeoutMs: positiveInt(30_000),
  providerMaxAttempts: positiveInt(6),
  runMaxAttempts: positiveInt(5),
  /** The stored high-water mark never passes a run's start minus this (DESIGN.md traps). */
  safetyMarginMs: nonNegativeInt(60_000),
  schedulerTickMs: positiveInt(5_000),
})

export type Config = Readonly<Omit<z.infer<typeof schema>, 'databaseUrl' | 'secretKey'>> & {
  readonly databaseUrl: string
  /** 32 bytes for AES-256-GCM; generated into the data dir when not configured. */
  readonly secretKey: Buffer
  readonly secretKeySource: 'env' | 'file' | 'generated'
}

export class ConfigError extends Error {
  readonly issues: readonly string[]
  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`)
    this.name = 'ConfigError'
    this.issues = issues
  }
}

const ENV_NAMES: Record<string, string> = Object.fromEntries(
  Object.keys(schema.shape).map((key) => [key, `TRIBUTARY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]),
)

/** Parses environment + optional file into a frozen Config; lists every bad key, never its value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const fromFile = readConfigFile(env, cwd)
  const input: Record<string, unknown> = { ...fromFile }
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const value = env[envName]
    if (value !== undefined && value !== '') input[key] = value
  }
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '')
        return `${ENV_NAMES[key] ?? key}: ${issue.message}`
      }),
    )
  }
  const values = parsed.data
  const dataDir = path.resolve(cwd, values.dataDir)
  const databaseUrl = values.databaseUrl ?? `sqlite:${path.join(dataDir, 'tributary.db')}`
  const { key, source } = resolveSecretKey(values.secretKey, dataDir)
  return Object.freeze({ ...values, dataDir, databaseUrl, secretKey: key, secretKeySource: source })
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown> {
  const explicit = env['TRIBUTARY_CONFIG_FILE']
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'tributary.config.json')
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError([`TRIBUTARY_CONFIG_FILE: no file at ${file}`])
    return {}
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object')
    const unknownKeys = Object.keys(parsed).filter((key) => !(key in ENV_NAMES))
    if (unknownKeys.length > 0) {
      throw new ConfigError(unknownKeys.map((key) => `${file}: unknown key "${key}"`))
    }
    return parsed as Record<string, unknown>
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError([`${file}: ${(error as Error).message}`])
  }
}

function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  return key.length === 32 ? key : undefined
}

/** TRIBUTARY_SECRET_KEY wins; else <dataDir>/secret.key, created with 0600 permissions when absent. */
function resolveSecretKey(
  configured: string | undefined,
  dataDir: string,
): { key: Buffer; source: Config['secretKeySource'] } {
  if (configured) return { key: decodeKey(configured)!, source: 'env' }
  const file = path.join(dataDir, 'secret.key')
  if (existsSync(file)) {
    const key = decodeKey(readFileSync(file, 'utf8'))
    if (!key) throw new ConfigError([`${file}: expected 32 bytes as 64 hex characters`])
    return { key, source: 'file' }
  }
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return { key, source: 'generated' }
}

export { ENV_NAMES as CONFIG_ENV_NAMES }
