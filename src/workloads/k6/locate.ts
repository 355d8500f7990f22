/**
 * Finds the k6 binary: `K6_BIN` when set, otherwise `k6` on PATH. k6 is optional: when it is absent the
 * result says so, in words a user can act on, and rift runs its built-in load generator instead.
 */
import {constants} from 'node:fs'
import {access, stat} from 'node:fs/promises'
import path from 'node:path'

export type K6Location =
  | {bin: string; found: true; source: 'K6_BIN' | 'PATH'}
  | {found: false; message: string; reason: string}

export const K6_FALLBACK_NOTE = 'rift will run its built-in load generator instead'

export async function findK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Location> {
  const explicit = env.K6_BIN
  if (explicit !== undefined && explicit !== '') {
    const problem = await notExecutable(explicit)
    if (problem === null) return {bin: path.resolve(explicit), found: true, source: 'K6_BIN'}
    const reason = `K6_BIN is set to ${explicit}, but ${problem}`
    return {found: false, message: `k6 not found: ${reason}; ${K6_FALLBACK_NOTE}`, reason}
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '')
  const names = process.platform === 'win32' ? ['k6.exe', 'k6.cmd', 'k6'] : ['k6']
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name)
      if ((await notExecutable(candidate)) === null) return {bin: path.resolve(candidate), found: true, source: 'PATH'}
    }
  }
  const reason = dirs.length === 0 ? 'K6_BIN is not set and PATH is empty' : 'K6_BIN is not set and there is no k6 on PATH'
  return {
    found: false,
    message: `k6 not found (${reason}); ${K6_FALLBACK_NOTE}. Install k6 or set K6_BIN to run the workload's k6 script.`,
    reason,
  }
}

/** null when the file is an executable regular file, else why not. */
async function notExecutable(file: string): Promise<string | null> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return 'it is not a file'
  } catch {
    return 'no such file exists'
  }
  try {
    await access(file, constants.X_OK)
    return null
  } catch {
    return 'it is not executable'
  }
}
