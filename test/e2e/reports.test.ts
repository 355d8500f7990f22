/** `rift report` and `rift runs` on recorded runs: a journal from a real sandbox run, a failed one, a killed one, a damaged one. */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {XMLValidator} from 'fast-xml-parser'
import {beforeAll, describe, expect, it} from 'vitest'

import type {Journal} from '../../src/engine/journal.js'
import {ROOT, STACK_FRAME, readJson, rift, workspace} from './cli.js'

const PASSED_ID = '20261126-142447-823d'
const FAILED_ID = '20261125-090000-0001'
const KILLED_ID = '20261127-080000-dead'
const DAMAGED_ID = '20261124-070000-bad0'

let cwd: string
let passed: Journal

/** A workspace whose .rift/runs holds four runs, as `rift run` leaves them. */
beforeAll(async () => {
  cwd = await workspace()
  const runs = path.join(cwd, '.rift', 'runs')
  passed = await readJson<Journal>(path.join(ROOT, 'test', 'fixtures', 'journals', 'active-passive-outage.json'))
  const place = async (runId: string, journal: Journal | string | null, ledger?: string) => {
    const dir = path.join(runs, runId)
    await mkdir(dir, {recursive: true})
    if (journal !== null) await writeFile(path.join(dir, 'journal.json'), typeof journal === 'string' ? journal : JSON.stringify({...journal, paths: {dir, journal: path.join(dir, 'journal.json'), ledger: path.join(dir, 'ledger.jsonl')}, runId}, null, 2))
    if (ledger) await writeFile(path.join(dir, 'ledger.jsonl'), ledger)
  }
  await place(PASSED_ID, passed)
  const failed: Journal = {
    ...passed,
    exitCode: 3,
    reason: 'SLO failoverTime <= 5s not met: observed 7250',
    slos: passed.slos.map((slo) => (slo.name === 'failoverTime' ? {...slo, detail: 'not met', observed: 7250, status: 'fail' as const} : slo)),
    startedAt: '2026-11-25T09:00:00.000Z',
    verdict: 'failed',
  }
  await place(FAILED_ID, failed)
  await place(KILLED_ID, null, JSON.stringify({at: '2026-11-27T08:00:00.120Z', cwd, experiment: 'experiments/killed.yaml', pid: 1, runId: KILLED_ID, type: 'run-started'}) + '\n')
  await place(DAMAGED_ID, '{"schemaVersion": 1, "runId": ')
})

describe('rift runs', () => {
  it('lists every run newest first with its date, verdict, exit code, duration and experiment', async () => {
    const result = await rift(['runs'], cwd)
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^RUN ID\s+STARTED \(UTC\)\s+VERDICT\s+EXIT\s+DURATION\s+EXPERIMENT$/)
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      [KILLED_ID, '2026-11-27 08:00:00', 'no journal', '—', '—', 'no journal: still running, or stopped before writing one (see rift rollback)'],
      [PASSED_ID, '2026-11-26 14:24:47', 'passed', '0', '6.37 s', passed.experiment.title],
      [FAILED_ID, '2026-11-25 09:00:00', 'failed', '3', '6.37 s', passed.experiment.title],
      [DAMAGED_ID, '—', 'unreadable', '—', '—', expect.stringMatching(/^unreadable journal: it is not valid JSON/)],
    ])
  })

  it('prints the list as JSON and honours --limit', async () => {
    const result = await rift(['runs', '--json', '--limit', '2'], cwd)
    expect(result.code).toBe(0)
    const list = JSON.parse(result.stdout)
    expect(list).toMatchObject({runsDir: path.join(cwd, '.rift', 'runs'), total: 4})
    expect(list.runs).toEqual([
      {dir: path.join(cwd, '.rift', 'runs', KILLED_ID), durationMs: null, exitCode: null, file: 'experiments/killed.yaml', problem: expect.stringMatching(/^no journal/), runId: KILLED_ID, startedAt: '2026-11-27T08:00:00.120Z', title: null, verdict: null},
      {dir: path.join(cwd, '.rift', 'runs', PASSED_ID), durationMs: passed.durationMs, exitCode: 0, file: passed.experiment.file, problem: null, runId: PASSED_ID, startedAt: passed.startedAt, title: passed.experiment.title, verdict: 'passed'},
    ])
    const human = await rift(['runs', '--limit', '1'], cwd)
    expect(human.stdout).toContain('… 3 older run(s) not shown; see them with --limit 4')
  })

  it('says so, and exits 0, when nothing has run here yet', async () => {
    const empty = await workspace()
    const result = await rift(['runs'], empty)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`No runs recorded in ${path.join(empty, '.rift', 'runs')}. Run one with: rift run <experiment.yaml>\n`)
    expect(JSON.parse((await rift(['runs', '--json'], empty)).stdout)).toEqual({runs: [], runsDir: path.join(empty, '.rift', 'runs'), total: 0})
  })
})

describe('rift report', () => {
  it('prints the Markdown summary of the latest finished run by default', async () => {
    const result = await rift(['report'], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n')[0]).toBe(`## ✅ Passed — ${passed.experiment.title}`)
    expect(result.stdout).toContain('| `failoverTime` | `<= 5s` | 217 ms ±20 ms | 228 | ✅ pass |')
  })

  it('renders any run, by id or folder, in each format, and exits 0 whatever its verdict', async () => {
    const junit = await rift(['report', FAILED_ID, '--format', 'junit'], cwd)
    expect(junit.code).toBe(0)
    expect(XMLValidator.validate(junit.stdout)).toBe(true)
    expect(junit.stdout).toContain('<failure message="observed 7.25 s ±20 ms, objective &lt;= 5s" type="slo-violated">')

    const dir = path.join(cwd, '.rift', 'runs', PASSED_ID)
    const json = await rift(['report', dir, '--format', 'json'], cwd)
    expect(JSON.parse(json.stdout)).toEqual(await readJson(path.join(dir, 'journal.json')))

    const md = await rift(['report', path.join(dir, 'journal.json'), '--format', 'md'], cwd)
    expect(md.stdout).toMatch(/^## ✅ Passed/)
  })

  it('writes the HTML report to --output and says where', async () => {
    const output = path.join(cwd, 'out', 'report.html')
    const result = await rift(['report', FAILED_ID, '--format', 'html', '--output', output], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`Wrote the html report of run ${FAILED_ID} (failed) to ${output}\n`)
    const page = await readFile(output, 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<span class="badge">FAILED</span>')

    const asJson = JSON.parse((await rift(['report', FAILED_ID, '--format', 'html', '--output', output, '--json'], cwd)).stdout)
    expect(asJson).toEqual({format: 'html', journal: path.join(cwd, '.rift', 'runs', FAILED_ID, 'journal.json'), output, runId: FAILED_ID, verdict: 'failed'})
    const inline = JSON.parse((await rift(['report', FAILED_ID, '--json'], cwd)).stdout)
    expect(inline).toMatchObject({format: 'md', output: null, runId: FAILED_ID, verdict: 'failed'})
    expect(inline.content).toMatch(/^## ❌ Failed: a finding/)
  })

  it('names what is missing or damaged, with the code and a way forward, and no stack trace', async () => {
    const missing = await rift(['report', 'no-such-run'], cwd)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`Error: no-such-run is neither a run folder, a journal file nor a run id in ${path.join(cwd, '.rift', 'runs')}`)
    expect(missing.stderr).toContain('Code: RIFT_JOURNAL_NOT_FOUND')
    expect(missing.stderr).toContain('List the runs recorded here: rift runs')

    const killed = await rift(['report', KILLED_ID], cwd)
    expect(killed.code).toBe(2)
    expect(killed.stderr).toContain(`has no journal.json: the run is still going, or it stopped before writing one (a crash or kill -9)`)
    expect(killed.stderr).toContain(`rift rollback --run ${KILLED_ID}`)

    const damaged = await rift(['report', DAMAGED_ID, '--json'], cwd)
    expect(damaged.code).toBe(2)
    const {error} = JSON.parse(damaged.stdout)
    expect(error).toMatchObject({code: 'RIFT_JOURNAL_INVALID', exitCode: 2})
    expect(error.message).toMatch(new RegExp(`^${path.join(cwd, '.rift', 'runs', DAMAGED_ID, 'journal.json')} is not a rift journal: it is not valid JSON`))

    const foreign = path.join(cwd, 'package.json')
    await writeFile(foreign, JSON.stringify({name: 'not-a-journal', version: '1.0.0'}))
    const notJournal = await rift(['report', foreign], cwd)
    expect(notJournal.code).toBe(2)
    expect(notJournal.stderr).toContain(`Error: ${foreign} is not a rift journal: no schemaVersion, and this rift reads schemaVersion 1`)

    const badFormat = await rift(['report', '--format', 'pdf'], cwd)
    expect(badFormat.code).toBe(2)
    expect(badFormat.stderr).toContain('Code: RIFT_USAGE')
    for (const result of [missing, killed, notJournal, badFormat]) expect(result.stderr).not.toMatch(STACK_FRAME)
  })

  it('has help with examples', async () => {
    for (const command of ['report', 'runs']) {
      const result = await rift([command, '--help'], cwd)
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('EXAMPLES')
      expect(result.stdout).toContain(`$ rift ${command}`)
    }
  })
})
