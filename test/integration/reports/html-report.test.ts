/**
 * The reports of a real run: the built CLI runs the flagship sandbox outage, then its report.html is opened
 * in a real headless Chromium (Debian's `chromium`, driven by playwright-core) and inspected: no console
 * errors, no request leaving the file, charts really drawn (canvas pixels where the data says they should be),
 * fault windows shaded and failover phases marked. A screenshot is kept in test-artifacts/.
 */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import {formatMs} from '../../../src/reports/figures.js'
import {chartData, renderHtml} from '../../../src/reports/html.js'
import {renderJunit} from '../../../src/reports/junit.js'
import {renderMarkdown} from '../../../src/reports/markdown.js'
import {ROOT, rift, workspace} from '../../e2e/cli.js'

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)))
const SKIPPED = CHROMIUM ? '' : ' (SKIPPED: no Chromium found; set CHROMIUM_PATH or run apt-get install chromium)'
if (!CHROMIUM) console.warn(`report.html browser tests skipped: no Chromium at $CHROMIUM_PATH or /usr/bin/chromium${SKIPPED}`)
const ARTIFACTS = path.join(ROOT, 'test-artifacts')
const EXPERIMENT = path.join(ROOT, 'experiments', 'sandbox', 'active-passive-outage.yaml')

let cwd: string
let journal: Journal
/** The report the browser opens, and the journal it was rendered from. */
let drawn: {file: string; journal: Journal}
let stepSummary: string

beforeAll(async () => {
  cwd = await workspace()
  stepSummary = path.join(cwd, 'step-summary.md')
  const result = await rift(['run', EXPERIMENT, '--json'], cwd, {GITHUB_STEP_SUMMARY: stepSummary})
  journal = JSON.parse(result.stdout) as Journal
  // The reports are about whatever the run found: on a loaded machine the sandbox may fail its SLOs (exit 3),
  // which is still a run with a timeline and a failover to draw.
  expect([0, 3], `${journal.verdict}: ${journal.reason}`).toContain(result.code)
  expect(journal.workloads?.series?.points.length, 'the prober timeline').toBeGreaterThan(50)
  // What the browser draws: this run's own report. Its clients must have seen the outage, measured from the
  // moment inject was called (a fault may take effect before inject returns), or the charts have nothing to show.
  expect(journal.workloads?.failover?.phases.length ?? 0, 'failover phases').toBeGreaterThanOrEqual(3)
  expect(outageLength(journal), 'outage in the timeline').toBeGreaterThanOrEqual(3 * journal.workloads!.series!.bucketMs)
  drawn = {file: path.join(journal.paths.dir, 'report.html'), journal}
}, 120_000)

afterAll(async () => {
  await rm(cwd, {force: true, recursive: true})
})

describe('the reports of a real run', () => {
  it('are written beside journal.json, and the summary is appended to $GITHUB_STEP_SUMMARY', async () => {
    const file = (name: string) => readFile(path.join(journal.paths.dir, name), 'utf8')
    expect(journal.warnings).toEqual([])
    // Each file is exactly its renderer's output for the journal the run printed.
    const summary = await file('summary.md')
    expect(summary).toBe(renderMarkdown(journal))
    expect(summary.split('\n')[0]).toContain(journal.experiment.title)
    expect(await readFile(stepSummary, 'utf8')).toBe(summary + '\n')
    const junit = await file('junit.xml')
    expect(junit).toBe(renderJunit(journal))
    expect(junit).toContain(`<testsuite hostname="${journal.environment.hostname}" id="${journal.runId}"`)
    expect(junit).toContain('<testcase classname="rift.slo" name="failoverTime &lt;= 5s"')
    expect(await file('report.html')).toBe(renderHtml(journal))
  })
})

describe.skipIf(!CHROMIUM)(`report.html in headless Chromium${SKIPPED}`, () => {
  let browser: Browser

  beforeAll(async () => {
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({args: ['--no-sandbox'], executablePath: CHROMIUM!})
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  /** Opens a report and records what a reader's browser would complain about or fetch. */
  async function open(file: string): Promise<{page: Page; problems: string[]; requests: string[]}> {
    const page = await browser.newPage({deviceScaleFactor: 1, viewport: {height: 900, width: 1200}})
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(pathToFileURL(file).href, {waitUntil: 'load'})
    return {page, problems, requests}
  }

  it('loads with no console errors, fetches nothing, and draws both charts with fault bands and failover markers', async () => {
    const {file, journal} = drawn
    const {page, problems, requests} = await open(file)
    try {
      await page.waitForSelector('html[data-charts="2"]', {timeout: 15_000})
      expect(problems).toEqual([])
      expect(requests).toEqual([pathToFileURL(file).href])

      // Legends name the series.
      const legends = await page.$$eval('.u-legend .u-series .u-label', (labels) => labels.map((label) => label.textContent))
      expect(legends).toEqual(['time', 'availability', 'time', 'p50', 'max'])

      // One shaded band per fault in each chart, as wide as the fault lasted relative to the axis.
      const bands = await page.$$eval('.fault-band', (nodes) => nodes.map((node) => ({fault: node.getAttribute('data-fault'), width: node.getBoundingClientRect().width})))
      expect(bands.map((band) => band.fault)).toEqual(['f1', 'f1'])
      for (const band of bands) expect(band.width).toBeGreaterThan(300) // 4 s of a ~5.6 s axis on a ~1000 px plot

      // Every failover phase marked, in time order, with its label above the first chart.
      const {phases, rtoMs} = journal.workloads!.failover!
      const markers = await page.$$eval('#chart-availability .phase-marker', (nodes) => nodes.map((node) => ({left: node.getBoundingClientRect().left, phase: node.getAttribute('data-phase')})))
      expect(markers.map((marker) => marker.phase)).toEqual(phases.map((phase) => phase.name))
      expect(markers.map((marker) => marker.left)).toEqual(markers.map((marker) => marker.left).sort((a, b) => a - b))
      expect(await page.locator('#chart-latency .phase-marker').count()).toBe(phases.length)
      const labels = await page.$$eval('.phase-label', (nodes) => nodes.map((node) => node.textContent))
      expect(labels[0]).toBe('fault injected')
      expect(labels[2]).toBe(`last failed probe +${formatMs(phases[2]!.atMs - phases[0]!.atMs)}`)
      if (rtoMs !== null) {
        expect(labels[3]).toBe(`recovered (3 successes in a row) +${formatMs(phases[3]!.atMs - phases[0]!.atMs)}`)
        expect(await page.locator('#chart-availability .rto-text').textContent()).toBe(`RTO ${formatMs(rtoMs)}`)
      }

      // The canvas really holds the data: the availability line is at the top of the plot before the fault and
      // at the bottom while every probe failed; the latency chart has its p50 line.
      const pixels = await page.evaluate(canvasProfile, {outageMs: longestOutage(journal), phases: journal.workloads!.failover!.phases})
      expect(pixels.availability.strokePixels).toBeGreaterThan(500)
      expect(pixels.availability.baselineTop).toBeGreaterThan(20)
      expect(pixels.availability.outageBottom).toBeGreaterThan(3)
      expect(pixels.availability.outageTop).toBe(0)
      expect(pixels.latency.strokePixels).toBeGreaterThan(300)
      expect(pixels.latency.outagePixels).toBe(0)

      await mkdir(ARTIFACTS, {recursive: true})
      await page.screenshot({fullPage: true, path: path.join(ARTIFACTS, 'report.png')})

      // The close-up zooms both charts onto the failover: the phases spread out by as much as the axis shrank.
      const spread = (list: {left: number}[]) => list.at(-1)!.left - list[0]!.left
      await page.click('#zoom-failover')
      const zoomed = await page.$$eval('#chart-latency .phase-marker', (nodes) => nodes.map((node) => ({left: node.getBoundingClientRect().left})))
      const data = chartData(journal)
      const wholeMs = Math.max(data.series!.points.at(-1)!.atMs + data.series!.bucketMs, ...data.faults.map((fault) => fault.endMs))
      const [firstMs, lastMs] = [phases[0]!.atMs, phases.at(-1)!.atMs]
      const padMs = Math.max(250, (lastMs - firstMs) * 0.6)
      const closeUpMs = Math.min(wholeMs, lastMs + padMs) - Math.max(0, firstMs - padMs)
      expect(spread(zoomed) / spread(markers)).toBeCloseTo(wholeMs / closeUpMs, 1)
      await page.locator('#timeline').screenshot({path: path.join(ARTIFACTS, 'report-failover.png')})
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('draws no latency line across an outage in which the prober stalled and sent few probes', async () => {
    // The committed journal of a real run, thinned as a stalled prober leaves it: during the outage only the
    // first and the last probe were sent, every bucket between them is empty.
    const stalled = JSON.parse(await readFile(path.join(ROOT, 'test', 'fixtures', 'journals', 'active-passive-outage.json'), 'utf8')) as Journal
    const {phases} = stalled.workloads!.failover!
    const [firstMs, lastMs] = [phases[1]!.atMs, phases[2]!.atMs]
    const {bucketMs} = stalled.workloads!.series!
    for (const point of stalled.workloads!.series!.points) {
      if (point.atMs > firstMs && point.atMs + bucketMs < lastMs) Object.assign(point, {failed: 0, maxMs: null, ok: 0, p50Ms: null})
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'rift-report-'))
    try {
      const file = path.join(dir, 'report.html')
      await writeFile(file, renderHtml(stalled))
      const {page, problems} = await open(file)
      try {
        await page.waitForSelector('html[data-charts="2"]', {timeout: 15_000})
        const pixels = await page.evaluate(canvasProfile, {outageMs: [firstMs, lastMs] as [number, number], phases})
        expect(pixels.latency.strokePixels).toBeGreaterThan(300)
        expect(pixels.latency.outagePixels).toBe(0)
        expect(pixels.availability.outageBottom).toBeGreaterThan(3)
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })

  it('renders a run without a prober timeline cleanly, saying why there are no charts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rift-report-'))
    try {
      const file = path.join(dir, 'report.html')
      await writeFile(file, renderHtml({...journal, workloads: null}))
      const {page, problems, requests} = await open(file)
      try {
        expect(await page.locator('#no-charts').textContent()).toMatch(/^No charts: this experiment has no workload/)
        expect(await page.locator('.uplot').count()).toBe(0)
        expect(await page.locator('#slos tr[data-slo]').count()).toBe(journal.slos.length)
        expect(problems).toEqual([])
        expect(requests).toEqual([pathToFileURL(file).href])
      } finally {
        await page.close()
      }
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })
})

function outageLength(run: Journal): number {
  const [start, end] = longestOutage(run)
  return end - start
}

/** The longest stretch of buckets in which every probe failed (buckets no probe fell in do not break it), in ms since start. */
function longestOutage(run: Journal): [number, number] {
  const {bucketMs, points} = run.workloads!.series!
  let best: [number, number] = [0, 0]
  let start: number | null = null
  for (const point of points) {
    if (point.ok > 0) start = null
    else if (point.failed > 0) {
      start ??= point.atMs
      if (point.atMs + bucketMs - start > best[1] - best[0]) best = [start, point.atMs + bucketMs]
    }
  }
  return best
}

/**
 * Runs in the page: reads each chart's plot area from its canvas and finds where the series' stroke colour is.
 * Fault bands and markers are DOM elements, so they never count as drawn data.
 */
function canvasProfile({outageMs, phases}: {outageMs: [number, number]; phases: {atMs: number; name: string}[]}): {availability: {baselineTop: number; outageBottom: number; outageTop: number; strokePixels: number}; latency: {outagePixels: number; strokePixels: number}} {
  // The page's DOM; the test's own TypeScript has no DOM types.
  const document = (globalThis as any).document
  function plot(chartId: string) {
    const root = document.querySelector(`#${chartId} .uplot`)!
    const canvas = root.querySelector('canvas')!
    const over = root.querySelector('.u-over')!
    const canvasBox = canvas.getBoundingClientRect()
    const overBox = over.getBoundingClientRect()
    const scale = canvas.width / canvasBox.width
    const x0 = Math.round((overBox.left - canvasBox.left) * scale)
    const y0 = Math.round((overBox.top - canvasBox.top) * scale)
    const width = Math.round(overBox.width * scale)
    const height = Math.round(overBox.height * scale)
    const image = canvas.getContext('2d')!.getImageData(x0, y0, width, height)
    const columnOf = (selector: string) => Math.round((root.querySelector(selector)!.getBoundingClientRect().left - overBox.left) * scale)
    return {columnOf, height, image, width}
  }
  function matches(data: Uint8ClampedArray, index: number, [r, g, b]: [number, number, number]): boolean {
    return data[index + 3]! > 200 && Math.abs(data[index]! - r) < 50 && Math.abs(data[index + 1]! - g) < 50 && Math.abs(data[index + 2]! - b) < 50
  }
  function count(chart: ReturnType<typeof plot>, color: [number, number, number], columns: [number, number], rows: [number, number]): number {
    let found = 0
    for (let y = Math.max(0, rows[0]); y < Math.min(chart.height, rows[1]); y++) {
      for (let x = Math.max(0, columns[0]); x < Math.min(chart.width, columns[1]); x++) {
        if (matches(chart.image.data, (y * chart.width + x) * 4, color)) found++
      }
    }
    return found
  }
  const green: [number, number, number] = [0x1a, 0x7f, 0x37]
  const blue: [number, number, number] = [0x09, 0x69, 0xda]
  const orange: [number, number, number] = [0xbc, 0x4c, 0x00]
  const first = phases.find((phase) => phase.name === 'first-failure')!
  const last = phases.find((phase) => phase.name === 'last-failure')!
  /** The middle half of the outage, in a chart's pixel columns: from where two failover markers stand for two known times. */
  function outageColumns(chart: ReturnType<typeof plot>): [number, number] {
    const [firstColumn, lastColumn] = [chart.columnOf('.phase-marker.phase-first-failure'), chart.columnOf('.phase-marker.phase-last-failure')]
    const column = (ms: number) => Math.round(firstColumn + ((ms - first.atMs) * (lastColumn - firstColumn)) / (last.atMs - first.atMs))
    const quarter = Math.round((column(outageMs[1]) - column(outageMs[0])) / 4)
    return [column(outageMs[0]) + quarter, column(outageMs[1]) - quarter]
  }
  const availability = plot('chart-availability')
  const faultStart = availability.columnOf('.phase-marker.phase-fault-start')
  const outage = outageColumns(availability)
  const band = Math.round(availability.height * 0.08)
  const latency = plot('chart-latency')
  const everyRow: [number, number] = [0, latency.height]
  return {
    availability: {
      baselineTop: count(availability, green, [Math.round(faultStart * 0.2), Math.round(faultStart * 0.8)], [0, band]),
      outageBottom: count(availability, green, outage, [availability.height - band, availability.height]),
      outageTop: count(availability, green, outage, [0, band]),
      strokePixels: count(availability, green, [0, availability.width], [0, availability.height]),
    },
    latency: {
      // No successful probe there, so no latency line either: not one bridged across the outage.
      outagePixels: count(latency, blue, outageColumns(latency), everyRow) + count(latency, orange, outageColumns(latency), everyRow),
      strokePixels: count(latency, blue, [0, latency.width], everyRow),
    },
  }
}
