/**
 * Finding and reading a past run's journal for `rift report` and `rift runs`: a run folder, a journal.json,
 * a bare run id, or (nothing given) the latest run. A missing or damaged journal is a RiftError that names
 * the file and what is wrong with it, never a stack trace.
 */
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'

import {JOURNAL_SCHEMA_VERSION, type Journal} from '../engine/journal.js'
import {listRunIds, runPaths, runsDir, stateDir} from '../engine/run-dir.js'
import {VERDICT_EXIT_CODES} from '../engine/verdict.js'
import {RiftError, errorMessage} from '../errors.js'

const LIST_RUNS = 'List the runs recorded here: rift runs'

/** The journal.json that `target` names; the latest finished run's when there is no target. */
export async function locateJournal(target: string | undefined, base = stateDir()): Promise<string> {
  if (target === undefined) {
    // The latest run that finished: one still going (or killed) has no journal to report on yet.
    for (const runId of (await listRunIds(base)).reverse()) {
      const {journal} = runPaths(runId, base)
      if ((await kindOf(journal)) === 'file') return journal
    }
    throw new RiftError('RIFT_JOURNAL_NOT_FOUND', `No finished run recorded in ${runsDir(base)}`, {
      suggestions: ['Run an experiment first: rift run experiments/region-outage-memory.yaml', 'Or name a run folder or journal.json: rift report path/to/run'],
    })
  }
  const found = await kindOf(target)
  if (found === 'file') return target
  if (found === 'directory') return journalInFolder(target)
  // Not a path: perhaps a run id.
  if (!target.includes(path.sep) && (await kindOf(runPaths(target, base).dir)) === 'directory') return journalInFolder(runPaths(target, base).dir)
  throw new RiftError('RIFT_JOURNAL_NOT_FOUND', `${target} is neither a run folder, a journal file nor a run id in ${runsDir(base)}`, {
    suggestions: [LIST_RUNS, 'Name a run folder (.rift/runs/<run-id>), its journal.json, or a run id'],
  })
}

async function journalInFolder(dir: string): Promise<string> {
  const file = path.join(dir, 'journal.json')
  if ((await kindOf(file)) === 'file') return file
  const hasLedger = (await kindOf(path.join(dir, 'ledger.jsonl'))) === 'file'
  throw new RiftError('RIFT_JOURNAL_NOT_FOUND', `${dir} has no journal.json${hasLedger ? ': the run is still going, or it stopped before writing one (a crash or kill -9)' : ''}`, {
    suggestions: hasLedger ? [`If no rift process is running it, revert what it left: rift rollback --run ${path.basename(dir)}`, LIST_RUNS] : [LIST_RUNS],
  })
}

async function kindOf(file: string): Promise<'directory' | 'file' | 'missing'> {
  try {
    return (await stat(file)).isDirectory() ? 'directory' : 'file'
  } catch {
    return 'missing'
  }
}

/** Reads and checks a journal: JSON, this schema version, and the fields every report relies on. */
export async function readJournalFile(file: string): Promise<Journal> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new RiftError('RIFT_JOURNAL_NOT_FOUND', `Cannot read ${file}: ${errorMessage(error)}`, {suggestions: [LIST_RUNS]})
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw invalid(file, `it is not valid JSON (${errorMessage(error)})`)
  }
  const problems = journalProblems(value)
  if (problems.length > 4) throw invalid(file, `${problems.slice(0, 3).join('; ')}; and ${problems.length - 3} more problems`)
  if (problems.length > 0) throw invalid(file, problems.join('; '))
  return value as Journal
}

function invalid(file: string, why: string): RiftError {
  return new RiftError('RIFT_JOURNAL_INVALID', `${file} is not a rift journal: ${why}`, {
    suggestions: ['Point at the journal.json that rift run wrote in .rift/runs/<run-id>/', 'The format is described in docs/journal.md'],
  })
}

const FIELDS: [string, 'array' | 'number' | 'object' | 'string'][] = [
  ['runId', 'string'],
  ['startedAt', 'string'],
  ['endedAt', 'string'],
  ['durationMs', 'number'],
  ['exitCode', 'number'],
  ['reason', 'string'],
  ['experiment', 'object'],
  ['environment', 'object'],
  ['paths', 'object'],
  ['steadyState', 'object'],
  ['measurements', 'object'],
  ['plan', 'array'],
  ['probes', 'array'],
  ['faults', 'array'],
  ['slos', 'array'],
  ['timeline', 'array'],
  ['errors', 'array'],
  ['warnings', 'array'],
]

/** What is wrong with a would-be journal, one phrase per problem; empty when the reports can read it. */
export function journalProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`]
  const record = value as Record<string, unknown>
  if (record.schemaVersion !== JOURNAL_SCHEMA_VERSION) {
    const found = record.schemaVersion === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(record.schemaVersion)}`
    return [`${found}, and this rift reads schemaVersion ${JOURNAL_SCHEMA_VERSION}`]
  }
  const problems: string[] = []
  for (const [name, type] of FIELDS) {
    const field = record[name]
    const actual = Array.isArray(field) ? 'array' : field === null ? 'null' : typeof field
    if (actual !== type) problems.push(`${name} should be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, found ${field === undefined ? 'nothing' : actual}`)
  }
  if (typeof record.verdict !== 'string' || !(record.verdict in VERDICT_EXIT_CODES)) problems.push(`verdict should be one of ${Object.keys(VERDICT_EXIT_CODES).join(', ')}, found ${JSON.stringify(record.verdict)}`)
  const experiment = record.experiment as Record<string, unknown> | undefined
  if (experiment && typeof experiment === 'object' && typeof experiment.title !== 'string') problems.push('experiment.title should be a string')
  if (!('workloads' in record)) problems.push('workloads should be an object or null, found nothing')
  return problems
}
