/**
 * The journals `rift report --compare` sets side by side, each named the way `rift report` names one (a run
 * folder, its journal.json or a run id). Every run is tried, so one error lists every run that is missing
 * or damaged, not just the first.
 */
import {stateDir} from '../engine/run-dir.js'
import type {Journal} from '../engine/journal.js'
import {RiftError, toRiftError} from '../errors.js'
import {locateJournal, readJournalFile} from './journal-file.js'

export const MIN_COMPARED_RUNS = 2

export async function readComparedJournals(targets: readonly string[], base = stateDir()): Promise<{file: string; journal: Journal}[]> {
  if (targets.length < MIN_COMPARED_RUNS) {
    throw new RiftError('RIFT_USAGE', `--compare needs at least ${MIN_COMPARED_RUNS} runs to set side by side, got ${targets.length === 0 ? 'none' : `only ${targets[0]}`}`, {
      suggestions: ['Name two or more runs: rift report --compare <run> <run> [<run>...]', 'Each is a run id, a run folder or a journal.json; list the runs recorded here with: rift runs'],
    })
  }
  const outcomes = await Promise.all(
    targets.map(async (target) => {
      try {
        const file = await locateJournal(target, base)
        return {file, journal: await readJournalFile(file)}
      } catch (error) {
        return {error: toRiftError(error)}
      }
    }),
  )
  const errors = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []))
  const [first] = errors
  if (first && errors.length === 1) throw first
  if (first) {
    throw new RiftError(first.code, `${errors.length} of the ${targets.length} runs to compare cannot be read:\n${errors.map((error) => `  - ${error.message}`).join('\n')}`, {
      suggestions: [...new Set(errors.flatMap((error) => error.suggestions))],
    })
  }
  return outcomes.map((outcome) => outcome as {file: string; journal: Journal})
}
