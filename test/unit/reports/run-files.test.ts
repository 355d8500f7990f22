import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {writeRunReports} from '../../../src/reports/run-files.js'
import {realJournal} from './fixture.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rift-reports-'))
})
afterEach(async () => {
  await rm(dir, {force: true, recursive: true})
})

function journalIn(runDir: string) {
  const journal = realJournal()
  journal.paths = {dir: runDir, journal: path.join(runDir, 'journal.json'), ledger: path.join(runDir, 'ledger.jsonl')}
  return journal
}

describe('writeRunReports', () => {
  it('writes junit.xml, summary.md and report.html into the run folder, and nothing else', async () => {
    const warnings = await writeRunReports(journalIn(dir), {stepSummary: undefined})
    expect(warnings).toEqual([])
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'summary.md'])
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^## ✅ Passed/)
    expect(await readFile(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/)
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/)
  })

  it('appends the summary to the GitHub step summary, keeping what other steps wrote', async () => {
    const summary = path.join(dir, 'step-summary.md')
    await writeFile(summary, '# Build\n\nok\n')
    const runDir = path.join(dir, 'run')
    await mkdir(runDir)
    await writeRunReports(journalIn(runDir), {stepSummary: summary})
    await writeRunReports(journalIn(runDir), {stepSummary: summary})
    const text = await readFile(summary, 'utf8')
    expect(text.startsWith('# Build\n\nok\n## ✅ Passed')).toBe(true)
    expect(text.match(/## ✅ Passed/g)).toHaveLength(2)
    expect(text).toContain(await readFile(path.join(runDir, 'summary.md'), 'utf8'))
  })

  it('turns what cannot be written into warnings instead of throwing', async () => {
    const missing = path.join(dir, 'gone')
    const warnings = await writeRunReports(journalIn(missing), {stepSummary: dir})
    expect(warnings).toHaveLength(4)
    expect(warnings[0]).toMatch(new RegExp(`^could not write ${missing}/junit.xml: ENOENT`))
    expect(warnings[3]).toMatch(/^could not write the GitHub step summary .*: EISDIR/)
  })
})
