/** `rift runs`: the runs recorded under `.rift/runs/`, newest first, with what each journal says about it. */
import {listRunIds, runPaths, stateDir} from '../engine/run-dir.js'
import type {Verdict} from '../engine/verdict.js'
import {readLedger} from '../engine/ledger.js'
import {isRiftError} from '../errors.js'
import {readJournalFile} from './journal-file.js'

export interface RunSummary {
  dir: string
  durationMs: number | null
  exitCode: number | null
  /** The experiment file, from the journal or, without one, the ledger. */
  file: string | null
  /** Why there is no verdict: no journal yet (running or crashed) or a journal that cannot be read. */
  problem: string | null
  runId: string
  startedAt: string | null
  title: string | null
  verdict: Verdict | null
}

export interface RunList {
  runs: RunSummary[]
  /** Runs recorded in all; `runs` holds at most `limit` of them. */
  total: number
}

export async function listRuns(options: {base?: string; limit?: number} = {}): Promise<RunList> {
  const base = options.base ?? stateDir()
  const ids = (await listRunIds(base)).reverse()
  const selected = options.limit === undefined ? ids : ids.slice(0, options.limit)
  const runs = await Promise.all(selected.map((runId) => summarise(runId, base)))
  return {runs, total: ids.length}
}

async function summarise(runId: string, base: string): Promise<RunSummary> {
  const paths = runPaths(runId, base)
  const empty = {dir: paths.dir, durationMs: null, exitCode: null, file: null, problem: null, runId, startedAt: null, title: null, verdict: null}
  try {
    const journal = await readJournalFile(paths.journal)
    return {
      ...empty,
      durationMs: journal.durationMs,
      exitCode: journal.exitCode,
      file: journal.experiment.file,
      startedAt: journal.startedAt,
      title: journal.experiment.title,
      verdict: journal.verdict,
    }
  } catch (error) {
    if (!isRiftError(error) || error.code !== 'RIFT_JOURNAL_NOT_FOUND') {
      return {...empty, problem: isRiftError(error) ? error.message.replace(`${paths.journal} is not a rift journal: `, 'unreadable journal: ') : String(error)}
    }
    return {...empty, ...(await fromLedger(paths.ledger)), problem: 'no journal: still running, or stopped before writing one (see rift rollback)'}
  }
}

/** A run without a journal still has its ledger's first line: when it started and what it ran. */
async function fromLedger(file: string): Promise<{file: string | null; startedAt: string | null}> {
  try {
    const started = (await readLedger(file)).find((entry) => entry.type === 'run-started')
    return started ? {file: started.experiment, startedAt: started.at} : {file: null, startedAt: null}
  } catch {
    return {file: null, startedAt: null}
  }
}
