/** Runs the built CLI as a user would: `node bin/run.js …` in a folder of the test's own. */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {copyFile, mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = path.join(ROOT, 'bin', 'run.js')

if (!existsSync(path.join(ROOT, 'dist', 'commands'))) {
  throw new Error('dist/ is missing: the e2e tests run the built CLI; run `npm run build` first (npm test does)')
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  stdout: string
}

/** A fresh working directory, optionally with copies of files from the repository. */
export async function workspace(...files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rift-e2e-'))
  for (const file of files) await copyFile(path.join(ROOT, file), path.join(dir, path.basename(file)))
  return dir
}

export function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): {child: ChildProcess; done: Promise<CliResult>; output: () => {stderr: string; stdout: string}} {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({code, signal, stderr, stdout})))
  return {child, done, output: () => ({stderr, stdout})}
}

export function rift(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return start(args, cwd, env).done
}

/** Polls until `check` is true; fails the test after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export async function readJson<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T
}

/** No stack traces: a user never sees "    at file:line" frames for an expected error. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m

/** The ledger of the (only) run in `cwd`, or '' before it exists: the run folder appears a moment before its ledger. */
export function ledgerText(cwd: string): string {
  const runs = path.join(cwd, '.rift', 'runs')
  const [runId] = existsSync(runs) ? readdirSync(runs) : []
  const file = runId ? path.join(runs, runId, 'ledger.jsonl') : ''
  return file && existsSync(file) ? readFileSync(file, 'utf8') : ''
}
