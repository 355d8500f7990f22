/** `rift report --compare` through the built CLI, on the journals of real async and sync PostgreSQL runs. */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import type {Journal} from '../../src/engine/journal.js'
import type {Comparison} from '../../src/reports/compare.js'
import {ROOT, STACK_FRAME, readJson, rift, workspace} from './cli.js'

let cwd: string
let asyncRun: Journal
let syncRun: Journal
/** The sync run's journal outside any run folder, as if downloaded from CI. */
let downloaded: string

beforeAll(async () => {
  cwd = await workspace()
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'journals')
  asyncRun = await readJson<Journal>(path.join(fixtures, 'postgres-async-region-outage.json'))
  syncRun = await readJson<Journal>(path.join(fixtures, 'postgres-sync-region-outage.json'))
  for (const journal of [asyncRun, syncRun]) {
    const dir = path.join(cwd, '.rift', 'runs', journal.runId)
    await mkdir(dir, {recursive: true})
    await writeFile(path.join(dir, 'journal.json'), JSON.stringify({...journal, paths: {dir, journal: path.join(dir, 'journal.json'), ledger: path.join(dir, 'ledger.jsonl')}}, null, 2))
  }
  downloaded = path.join(cwd, 'downloaded', 'journal.json')
  await mkdir(path.dirname(downloaded), {recursive: true})
  await writeFile(downloaded, JSON.stringify(syncRun))
})

describe('rift report --compare', () => {
  it('prints the runs side by side in Markdown, by run id', async () => {
    const result = await rift(['report', '--compare', asyncRun.runId, syncRun.runId], cwd)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe('## 2 runs side by side')
    expect(lines).toContain(`|  | run 1 \`${asyncRun.runId}\` | run 2 \`${syncRun.runId}\` | Δ (2 − 1) |`)
    expect(lines).toContain(`| **experiment** | ${asyncRun.experiment.title} | ${syncRun.experiment.title} |  |`)
    expect(lines).toContain('| **lost writes** | 7 | 0 | −7 |')
    expect(lines).toContain('| **acknowledged writes** | 878 | 869 | −9 |')
    expect(lines).toContain('| **write latency p50** | 1.32 ms | 102 ms | +101 ms |')
    expect(lines).toContain('| **failover time** | n/a [1] | n/a [1] |  |')
    expect(lines).toContain('1. no availability prober ran (workload.prober): it is what measures the failover time')
    expect(result.stdout).toContain(`journal \`${path.join(cwd, '.rift', 'runs', asyncRun.runId, 'journal.json')}\``)
  })

  it('takes run folders and journal files too, and writes HTML to --output', async () => {
    const output = path.join(cwd, 'out', 'async-vs-sync.html')
    const folder = path.join('.rift', 'runs', asyncRun.runId)
    const result = await rift(['report', '--compare', folder, downloaded, '--format', 'html', '--output', output], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`Wrote the html comparison of 2 runs to ${output}\n`)
    const page = await readFile(output, 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).not.toMatch(/<(script|img|link|iframe)\b/i)
    expect(page).toContain('<tr data-row="dataLoss">')
    expect(page).toContain(`journal <code>${downloaded}</code>`)

    const asJson = JSON.parse((await rift(['report', '--compare', folder, downloaded, '--format', 'html', '--output', output, '--json'], cwd)).stdout)
    expect(asJson).toEqual({
      compared: [
        {journal: path.join(cwd, folder, 'journal.json'), runId: asyncRun.runId, verdict: 'passed'},
        {journal: downloaded, runId: syncRun.runId, verdict: 'passed'},
      ],
      format: 'html',
      output,
    })
  })

  it('renders the table as JSON, with the raw figures', async () => {
    const result = await rift(['report', '--compare', asyncRun.runId, syncRun.runId, '--format', 'json'], cwd)
    expect(result.code).toBe(0)
    const comparison = JSON.parse(result.stdout) as Comparison
    expect(comparison.runs.map((run) => run.runId)).toEqual([asyncRun.runId, syncRun.runId])
    const lost = comparison.rows.find((row) => row.key === 'dataLoss')!
    expect(lost.cells.map((cell) => cell.value)).toEqual([asyncRun.measurements.dataLoss!.value, syncRun.measurements.dataLoss!.value])
  })

  it('refuses fewer than two runs, a missing run and a format it cannot render, clearly and without a stack trace', async () => {
    const one = await rift(['report', '--compare', asyncRun.runId], cwd)
    expect(one.code).toBe(2)
    expect(one.stderr).toContain(`Error: --compare needs at least 2 runs to set side by side, got only ${asyncRun.runId}`)
    expect(one.stderr).toContain('Code: RIFT_USAGE')
    expect(one.stderr).toContain('rift report --compare <run> <run> [<run>...]')

    const none = await rift(['report', '--compare', '--json'], cwd)
    expect(none.code).toBe(2)
    expect(JSON.parse(none.stdout).error).toMatchObject({code: 'RIFT_USAGE', message: '--compare needs at least 2 runs to set side by side, got none'})

    const missing = await rift(['report', '--compare', asyncRun.runId, 'no-such-run'], cwd)
    expect(missing.code).toBe(2)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toContain(`Error: no-such-run is neither a run folder, a journal file nor a run id in ${path.join(cwd, '.rift', 'runs')}`)
    expect(missing.stderr).toContain('Code: RIFT_JOURNAL_NOT_FOUND')

    const twoMissing = await rift(['report', '--compare', 'gone-1', asyncRun.runId, 'gone-2'], cwd)
    expect(twoMissing.code).toBe(2)
    expect(twoMissing.stderr).toContain('Error: 2 of the 3 runs to compare cannot be read:')
    expect(twoMissing.stderr).toContain('  - gone-1 is neither a run folder')
    expect(twoMissing.stderr).toContain('  - gone-2 is neither a run folder')

    const junit = await rift(['report', '--compare', asyncRun.runId, syncRun.runId, '--format', 'junit'], cwd)
    expect(junit.code).toBe(2)
    expect(junit.stderr).toContain('Error: --compare renders md, html, json, not junit')

    const withoutFlag = await rift(['report', asyncRun.runId, syncRun.runId], cwd)
    expect(withoutFlag.code).toBe(2)
    expect(withoutFlag.stderr).toContain(`Error: rift report renders one run, and was given 2: ${asyncRun.runId}, ${syncRun.runId}`)
    expect(withoutFlag.stderr).toContain(`rift report --compare ${asyncRun.runId} ${syncRun.runId}`)
    for (const result of [one, missing, twoMissing, junit, withoutFlag]) expect(result.stderr).not.toMatch(STACK_FRAME)
  })

  it('shows --compare in the help, with examples', async () => {
    const result = await rift(['report', '--help'], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('--compare')
    expect(result.stdout).toContain('$ rift report --compare 20261126-153624-c498 20261126-153639-7687')
  })
})
