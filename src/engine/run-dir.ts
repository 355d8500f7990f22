import {mkdir, readdir} from 'node:fs/promises'
import path from 'node:path'

/** Where rift keeps its state: `.rift/` under the working directory, unless RIFT_HOME says otherwise. */
export function stateDir(cwd = process.cwd()): string {
  return process.env.RIFT_HOME ? path.resolve(process.env.RIFT_HOME) : path.join(cwd, '.rift')
}

export function runsDir(base = stateDir()): string {
  return path.join(base, 'runs')
}

export interface RunPaths {
  dir: string
  journal: string
  ledger: string
}

export function runPaths(runId: string, base = stateDir()): RunPaths {
  const dir = path.join(runsDir(base), runId)
  return {dir, journal: path.join(dir, 'journal.json'), ledger: path.join(dir, 'ledger.jsonl')}
}

export async function createRunDir(runId: string, base = stateDir()): Promise<RunPaths> {
  const paths = runPaths(runId, base)
  await mkdir(paths.dir, {recursive: true})
  return paths
}

/** Run ids, oldest first (they sort by start time). */
export async function listRunIds(base = stateDir()): Promise<string[]> {
  try {
    const entries = await readdir(runsDir(base), {withFileTypes: true})
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
