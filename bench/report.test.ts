import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Machine } from './machine.ts'
import { parseBenchOptions, planBench } from './options.ts'
import { buildReport, formatFigure, formatTable, reportJson, summaryLine } from './report.ts'
import type { ScenarioResults } from './results.ts'

const machine: Machine = {
  cores: 2,
  memoryGb: 23.4,
  cpuModel: 'Test CPU',
  node: 'v24.21.0',
  platform: 'linux 6',
  hostname: 'box',
}

const results: ScenarioResults = {
  backfill: {
    database: 'sqlite',
    orders: 200_000,
    rounds: [
      {
        ordersPerSec: 30_000,
        durationMs: 6_667,
        peakRssMb: 140,
        ceilingRowsPerSec: 47_000,
        ceilingTransportPerSec: 60_000,
      },
      {
        ordersPerSec: 32_000,
        durationMs: 6_250,
        peakRssMb: 142,
        ceilingRowsPerSec: 46_000,
        ceilingTransportPerSec: 61_000,
      },
      {
        ordersPerSec: 31_000,
        durationMs: 6_452,
        peakRssMb: 141,
        ceilingRowsPerSec: 48_000,
        ceilingTransportPerSec: 59_000,
      },
    ],
  },
  memory: { orders: 200_000, largeOrders: 1_000_000, peaksMb: [140, 142, 141], largePeaksMb: [150] },
  incremental: {
    database: 'sqlite',
    orders: 200_000,
    rounds: [{ changed: 2000, examined: 2020, updated: 2000, durationMs: 400 }],
  },
  rateLimit: {
    limitPerSec: 5,
    orders: 7500,
    runs: [
      { succeeded: true, requestsOk: 76, http429: 0, durationMs: 15_500 },
      { succeeded: true, requestsOk: 76, http429: 1, durationMs: 15_800 },
      { succeeded: false, requestsOk: 10, http429: 4, durationMs: Number.NaN },
    ],
  },
}

function report(failures: string[] = [], scenarioResults: ScenarioResults = results) {
  const options = parseBenchOptions([])
  return buildReport({
    options,
    plan: planBench(options),
    machine,
    results: scenarioResults,
    failures,
    startedAt: new Date('2026-01-02T03:04:05Z'),
    finishedAt: new Date('2026-01-02T03:09:05Z'),
    loadAverage: { atStart: 0.5, atEnd: 1.25 },
    nodeFlags: ['--max-semi-space-size=4'],
  })
}

test('the JSON has every field the issue asks for', () => {
  const json = JSON.parse(reportJson(report()))
  assert.deepEqual(
    {
      orders: json.backfill.orders,
      ordersPerSec: json.backfill.ordersPerSec,
      ceilingRowsPerSec: json.backfill.ceilingRowsPerSec,
      ceilingTransportPerSec: json.backfill.ceilingTransportPerSec,
      ratio: json.backfill.ratio,
      peakRssMb: json.backfill.peakRssMb,
    },
    {
      orders: 200_000,
      ordersPerSec: 31_000,
      ceilingRowsPerSec: 47_000,
      ceilingTransportPerSec: 60_000,
      ratio: 0.66,
      peakRssMb: 142,
    },
  )
  assert.equal(json.memory.flatnessRatio, 1.06)
  assert.equal(json.incremental.examinedPerChanged, 1.01)
  assert.equal(json.rateLimit.failedRuns, 1)
  assert.equal(json.rateLimit.http429, 5)
  assert.equal(json.rateLimit.utilisation, 0.971)
  assert.deepEqual(Object.keys(json.machine), ['cores', 'memoryGb', 'cpuModel', 'node', 'platform', 'hostname'])
  assert.equal(json.durationSeconds, 300)
})

test('a scenario that did not run is absent; a figure that could not be measured is null', () => {
  const partial = report([], {
    backfill: {
      database: 'sqlite',
      orders: 100,
      rounds: [
        {
          ordersPerSec: 10,
          durationMs: 10_000,
          peakRssMb: 90,
          ceilingRowsPerSec: Number.NaN,
          ceilingTransportPerSec: 20,
        },
      ],
    },
  })
  const json = JSON.parse(reportJson(partial))
  assert.equal(json.memory, undefined)
  assert.equal(json.ceilingRowsPerSec, undefined)
  assert.equal(json.backfill.ceilingRowsPerSec, null)
  assert.equal(json.backfill.ratio, null)
})

test('the table shows median/min/max, the ceiling and the ratio', () => {
  const text = formatTable(report())
  const header = text.split('\n')[0]!
  assert.match(header, /scenario\s+figure\s+median\s+min\s+max\s+ceiling\s+ratio/)
  assert.match(text, /backfill \(sqlite, 200000 orders\)\s+orders\/s\s+31000\s+30000\s+32000\s+47000\s+0\.66/)
  assert.match(text, /ceiling A: storage\s+rows\/s\s+47000\s+46000\s+48000/)
  assert.match(text, /memory \(1000000 orders\)\s+peak RSS MB\s+150\s+150\s+150\s+1\.06/)
  assert.match(text, /rate limit \(5\/s, 7500 orders\)\s+requests\/s\s+4\.86/)
})

test('the summary line', () => {
  assert.equal(
    summaryLine(report()),
    'backfill 31000 orders/s (ratio 0.66 of ceiling 47000) · peak RSS 142 MB · flatness 1.06 (150 MB at 1000000)' +
      ' · incremental 1.01 examined/changed · rate-limit utilisation 0.97 (5 × 429, 1 failed)',
  )
  assert.match(summaryLine(report(['x'])), /· 1 FAILED$/)
})

test('figures print with sensible precision', () => {
  assert.equal(formatFigure(31234.4), '31234')
  assert.equal(formatFigure(14.25), '14.3')
  assert.equal(formatFigure(0.6666), '0.67')
  assert.equal(formatFigure(Number.NaN), 'n/a')
})
