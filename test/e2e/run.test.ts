import {existsSync, readdirSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {readJson, rift, STACK_FRAME, workspace} from './cli.js'

const EXAMPLE = 'experiments/region-outage-memory.yaml'

function runFolders(cwd: string): string[] {
  const dir = path.join(cwd, '.rift', 'runs')
  return existsSync(dir) ? readdirSync(dir) : []
}

describe('rift run, as a user runs it', () => {
  it('runs the bundled example: exit 0, progress on stderr, journal and ledger in the run folder', async () => {
    const cwd = await workspace(EXAMPLE)
    const result = await rift(['run', 'region-outage-memory.yaml'], cwd)
    expect(result.stderr).not.toMatch(STACK_FRAME)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('PASSED')
    // Plain timestamped lines, no control characters (CI logs).
    expect(result.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z run \d{8}-\d{6}-[0-9a-f]{4}: /m)
    expect(result.stderr).not.toContain(String.fromCharCode(27))
    const [runId] = runFolders(cwd)
    const folder = path.join(cwd, '.rift', 'runs', runId!)
    expect(readdirSync(folder).sort()).toEqual(['journal.json', 'junit.xml', 'ledger.jsonl', 'report.html', 'summary.md'])
    const journal = await readJson(path.join(folder, 'journal.json'))
    expect(journal).toMatchObject({exitCode: 0, runId, schemaVersion: 1, verdict: 'passed'})
    expect(journal.faults).toMatchObject([{driver: 'memory', id: 'f1', kind: 'region-outage', landed: true, revert: 'reverted'}])
    expect(journal.probes.map((p: {ok: boolean}) => p.ok)).toEqual([true, true])
  })

  it('under --json prints nothing but the journal on stdout', async () => {
    const cwd = await workspace(EXAMPLE)
    const result = await rift(['run', 'region-outage-memory.yaml', '--json'], cwd)
    expect(result.code).toBe(0)
    const journal = JSON.parse(result.stdout)
    expect(journal.verdict).toBe('passed')
    expect(await readJson(journal.paths.journal)).toEqual(journal)
    expect(result.stderr).toBe('')
  })

  it('exits 4 and injects nothing when the steady state does not hold before the method', async () => {
    const cwd = await workspace(EXAMPLE)
    const text = await readFile(path.join(cwd, 'region-outage-memory.yaml'), 'utf8')
    // The hypothesis now claims us-east is unreachable, which is false before any fault.
    await writeFile(path.join(cwd, 'x.yaml'), text.replace('expect: {equals: true}', 'expect: {equals: false}'))
    const result = await rift(['run', 'x.yaml', '--json'], cwd)
    expect(result.code).toBe(4)
    const journal = JSON.parse(result.stdout)
    expect(journal).toMatchObject({faults: [], verdict: 'aborted'})
    expect(journal.errors[0].code).toBe('RIFT_STEADY_STATE_NOT_MET')
  })

  it('exits 7 (inconclusive), never 0, when an SLO has nothing to measure it', async () => {
    const cwd = await workspace(EXAMPLE)
    const text = await readFile(path.join(cwd, 'region-outage-memory.yaml'), 'utf8')
    await writeFile(path.join(cwd, 'x.yaml'), `${text}\nslos:\n  failoverTime: "<= 10s"\n`)
    const result = await rift(['run', 'x.yaml', '--json'], cwd)
    expect(result.code).toBe(7)
    expect(JSON.parse(result.stdout).slos[0]).toMatchObject({name: 'failoverTime', status: 'inconclusive'})
  })

  it('exits 2 for an invalid experiment, creates no run folder, and prints no stack', async () => {
    const cwd = await workspace()
    await writeFile(path.join(cwd, 'bad.yaml'), 'version: rift/v1\ntitle: x\n')
    const result = await rift(['run', 'bad.yaml'], cwd)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('bad.yaml')
    expect(result.stderr).not.toMatch(STACK_FRAME)
    expect(runFolders(cwd)).toEqual([])
  })

  it('exits 2 with a usage error for an unknown flag', async () => {
    const cwd = await workspace(EXAMPLE)
    const result = await rift(['run', 'region-outage-memory.yaml', '--frobnicate', '--json'], cwd)
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout).error.code).toBe('RIFT_USAGE')
  })
})
