import { cpus, hostname, platform, release, totalmem } from 'node:os'

export interface Machine {
  readonly cores: number
  readonly memoryGb: number
  readonly cpuModel: string
  readonly node: string
  readonly platform: string
  readonly hostname: string
}

/** What the figures were measured on: they only compare on the same machine. */
export function describeMachine(): Machine {
  const cpuList = cpus()
  return {
    cores: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${release()}`,
    hostname: hostname(),
  }
}
