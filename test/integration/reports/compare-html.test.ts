/**
 * The page `rift report --compare --format html` writes, opened in a real headless Chromium (Debian's
 * `chromium`, driven by playwright-core): no console errors or CSP complaints, no request leaving the file,
 * the table as a reader sees it, and notes that the n/a cells link to. A screenshot is kept in test-artifacts/.
 */
import {existsSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import {ROOT, readJson, rift, workspace} from '../../e2e/cli.js'

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)))
const SKIPPED = CHROMIUM ? '' : ' (SKIPPED: no Chromium found; set CHROMIUM_PATH or run apt-get install chromium)'
const ARTIFACTS = path.join(ROOT, 'test-artifacts')

let cwd: string
let page: string
const journals: Journal[] = []

beforeAll(async () => {
  cwd = await workspace()
  for (const name of ['postgres-async-region-outage', 'postgres-sync-region-outage']) {
    const journal = await readJson<Journal>(path.join(ROOT, 'test', 'fixtures', 'journals', `${name}.json`))
    // A title from user YAML that would run script if it were not escaped.
    if (name.includes('async')) journal.experiment.title = `<img src=x onerror="document.title='pwned'"> ${journal.experiment.title}`
    await writeFile(path.join(cwd, `${name}.json`), JSON.stringify(journal))
    journals.push(journal)
  }
  page = path.join(cwd, 'compare.html')
  const result = await rift(['report', '--compare', 'postgres-async-region-outage.json', 'postgres-sync-region-outage.json', '--format', 'html', '--output', page], cwd)
  expect(result.code, result.stderr).toBe(0)
}, 60_000)

afterAll(async () => {
  await rm(cwd, {force: true, recursive: true})
})

describe.skipIf(!CHROMIUM)(`the comparison page in headless Chromium${SKIPPED}`, () => {
  let browser: Browser

  beforeAll(async () => {
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({args: ['--no-sandbox'], executablePath: CHROMIUM!})
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('loads clean, fetches nothing, and shows the runs side by side with linked notes', async () => {
    const tab = await browser.newPage({deviceScaleFactor: 1, viewport: {height: 900, width: 1200}})
    const problems: string[] = []
    const requests: string[] = []
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    tab.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    tab.on('request', (request) => requests.push(request.url()))
    try {
      await tab.goto(pathToFileURL(page).href, {waitUntil: 'load'})
      expect(problems).toEqual([])
      expect(requests).toEqual([pathToFileURL(page).href])
      expect(await tab.title()).toBe(`rift comparison · ${journals.map((journal) => journal.runId).join(' · ')}`)
      expect(await tab.locator('img').count()).toBe(0)

      const rows = await tab.$$eval('table.compare tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())))
      const byLabel = new Map(rows.map((cells) => [cells[0], cells.slice(1)]))
      expect(byLabel.get('experiment')![0]).toBe(journals[0]!.experiment.title)
      expect(byLabel.get('lost writes')).toEqual(['7', '0', '−7'])
      expect(byLabel.get('write latency p50')).toEqual(['1.32 ms', '102 ms', '+101 ms'])
      expect(byLabel.get('failover time')).toEqual(['n/a[1]', 'n/a[1]', ''])

      // The note an n/a cell points to is on the page and says why.
      const target = await tab.locator('tr[data-row="failoverTime"] td sup a').first().getAttribute('href')
      expect(await tab.locator(target!).innerText()).toBe('no availability prober ran (workload.prober): it is what measures the failover time')

      await mkdir(ARTIFACTS, {recursive: true})
      await tab.screenshot({fullPage: true, path: path.join(ARTIFACTS, 'report-compare.png')})
    } finally {
      await tab.close()
    }
  }, 60_000)
})
