/**
 * Runs a user's k6 script as a subprocess (argv, no shell) and reads what it wrote: the `--summary-export`
 * file and the `--out json` stream. The run's endpoints reach the script as `-e KEY=VALUE` (`__ENV.KEY`).
 *
 * Stopping is what a user would do: SIGINT once (k6 stops gracefully, runs teardown and writes its summary,
 * exit 105), then SIGKILL after a grace period. The promise resolves with whatever k6 left behind in every
 * case, abort included; it rejects only on bad arguments, before anything starts.
 */
import {spawn} from 'node:child_process'
import {mkdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'

import type {SloResult} from '../../engine/journal.js'
import {classifyExit, type K6Outcome} from './exit-codes.js'
import {readK6Stream, type K6StreamResult, type K6Window, type K6WindowFigures} from './ndjson.js'
import {parseSummaryExport, type K6Summary} from './summary.js'
import {thresholdSlos} from './thresholds.js'

export interface K6RunOptions {
  /** The k6 binary (see findK6). */
  bin: string
  /** Where k6's output files go; also k6's working directory, so handleSummary's relative paths land here. */
  dir: string
  /** Environment for the k6 process; defaults to process.env. K6_NO_USAGE_REPORT is always set. */
  env?: NodeJS.ProcessEnv
  /** After SIGINT, how long k6 gets to write its summary before SIGKILL. Default 10 s. */
  graceMs?: number
  /** Bytes of stdout and of stderr kept for the journal (the last ones). Default 64 KiB each. */
  outputLimitBytes?: number
  /** Tagged on every sample as `run_id`, to correlate k6's data with the run. */
  runId?: string
  /** The run clock's zero, in ms since the epoch; windows are measured from it. Default: when k6 started. */
  runStartWallMs?: number
  /** The user's script, resolved against the current directory. */
  script: string
  signal?: AbortSignal
  /** Wall-clock bound for the whole k6 run; reached, it is stopped like an abort. */
  timeoutMs?: number
  /** Passed as `-e KEY=VALUE`, in order: the run's endpoints (RIFT_ROUTER_URL, …) and the workload's env. */
  vars?: Record<string, string>
  /** Windows (ms since the run started) to compute http_req_duration / http_req_failed figures for. */
  windows?: readonly K6Window[]
}

export interface CapturedOutput {
  /** The last `outputLimitBytes` of the stream. */
  text: string
  totalBytes: number
  truncated: boolean
}

export interface K6RunResult {
  /** Exactly what was executed: `[bin, ...args]`. */
  argv: string[]
  durationMs: number
  endedAt: string
  files: {metrics: string; summary: string}
  outcome: K6Outcome
  /** The run's thresholds as SLO results (exit 99 → at least one `fail`). */
  slos: SloResult[]
  startedAt: string
  stderr: CapturedOutput
  stdout: CapturedOutput
  stream: K6StreamResult | null
  /** Why the metrics stream could not be read, when it could not. */
  streamError: string | null
  summary: K6Summary | null
  /** Why the summary could not be read, when it could not (missing after a crash, not JSON, …). */
  summaryError: string | null
  windows: K6WindowFigures[]
}

const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const DEFAULT_GRACE_MS = 10_000
const DEFAULT_OUTPUT_LIMIT = 64 * 1024

/** The argv k6 is run with, files and `-e` values included. */
export function buildK6Args(options: Pick<K6RunOptions, 'runId' | 'script' | 'vars'> & {metricsFile: string; summaryFile: string}): string[] {
  const args = ['run', '--quiet', '--no-color', '--log-format=json', '--summary-export', options.summaryFile, '--out', `json=${options.metricsFile}`]
  if (options.runId !== undefined) args.push('--tag', `run_id=${options.runId}`)
  for (const [key, value] of Object.entries(options.vars ?? {})) {
    if (!ENV_NAME.test(key)) throw new RangeError(`k6 variable name ${JSON.stringify(key)} is invalid: k6 accepts names matching ${ENV_NAME.source}`)
    args.push('-e', `${key}=${value}`)
  }
  args.push(options.script)
  return args
}

export async function runK6(options: K6RunOptions): Promise<K6RunResult> {
  const dir = path.resolve(options.dir)
  const files = {metrics: path.join(dir, 'k6-metrics.ndjson'), summary: path.join(dir, 'k6-summary.json')}
  const args = buildK6Args({...options, metricsFile: files.metrics, script: path.resolve(options.script), summaryFile: files.summary})
  await mkdir(dir, {recursive: true})
  const limit = options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT
  const startWall = Date.now()
  const started = performance.now()
  const execution = await execute(options.bin, args, {
    cwd: dir,
    env: {...(options.env ?? process.env), K6_NEW_MACHINE_READABLE_SUMMARY: 'false', K6_NO_USAGE_REPORT: 'true'},
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    limit,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  })
  const durationMs = Math.round(performance.now() - started)
  const endedAt = new Date().toISOString()
  const base = {argv: [options.bin, ...args], durationMs, endedAt, files, startedAt: new Date(startWall).toISOString()}

  const summaryRead = await readSummary(files.summary)
  const streamRead = await readStream(files.metrics, {runStartWallMs: options.runStartWallMs ?? startWall, windows: options.windows ?? []})
  const outcome = execution.outcome
  return {
    ...base,
    outcome,
    slos: execution.started ? thresholdSlos({outcome, stream: streamRead.stream, summary: summaryRead.summary}) : [],
    stderr: execution.stderr,
    stdout: execution.stdout,
    stream: streamRead.stream,
    streamError: streamRead.error,
    summary: summaryRead.summary,
    summaryError: summaryRead.error,
    windows: streamRead.stream?.windows ?? [],
  }
}

interface ExecuteOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  graceMs: number
  limit: number
  signal: AbortSignal | undefined
  timeoutMs: number | undefined
}

interface Execution {
  outcome: K6Outcome
  started: boolean
  stderr: CapturedOutput
  stdout: CapturedOutput
}

function execute(bin: string, args: string[], options: ExecuteOptions): Promise<Execution> {
  const empty = (): CapturedOutput => ({text: '', totalBytes: 0, truncated: false})
  const {signal} = options
  if (signal?.aborted) {
    return Promise.resolve({
      outcome: {exitCode: null, kind: 'aborted', message: 'the run was aborted before k6 started', signal: null},
      started: false,
      stderr: empty(),
      stdout: empty(),
    })
  }
  return new Promise((resolve) => {
    // k6 gets its own process group: a Ctrl-C at the terminal reaches rift alone, which then sends k6 the one
    // SIGINT that stops it gracefully (a second one would make k6 exit at once, without its summary).
    const child = spawn(bin, args, {
      cwd: options.cwd,
      detached: process.platform !== 'win32',
      env: options.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    })
    // Outside rift's process group, k6 would outlive a rift that exits without stopping it.
    const onParentExit = (): void => {
      child.kill('SIGKILL')
    }
    process.once('exit', onParentExit)
    const stdout = capture(child.stdout, options.limit)
    const stderr = capture(child.stderr, options.limit)
    let stoppedBy: string | null = null
    let killTimer: NodeJS.Timeout | undefined
    let settled = false

    const stop = (why: string): void => {
      if (stoppedBy !== null || settled) return
      stoppedBy = why
      child.kill('SIGINT')
      killTimer = setTimeout(() => {
        child.kill('SIGKILL')
        // A grandchild holding the pipes open must not keep the run waiting.
        child.stdout.destroy()
        child.stderr.destroy()
      }, options.graceMs)
    }
    const onAbort = (): void => stop('the run was aborted')
    const deadline = options.timeoutMs === undefined ? undefined : setTimeout(() => stop(`k6 ran past its ${options.timeoutMs}ms limit`), options.timeoutMs)
    signal?.addEventListener('abort', onAbort, {once: true})

    const settle = (execution: Execution): void => {
      if (settled) return
      settled = true
      clearTimeout(killTimer)
      clearTimeout(deadline)
      signal?.removeEventListener('abort', onAbort)
      process.removeListener('exit', onParentExit)
      resolve(execution)
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${bin} does not exist` : error.code === 'EACCES' ? `${bin} is not executable` : error.message
      settle({
        outcome: {exitCode: null, kind: 'not-found', message: `cannot start k6: ${reason}`, signal: null},
        started: false,
        stderr: stderr(),
        stdout: stdout(),
      })
    })
    child.once('close', (exitCode, exitSignal) => {
      const outcome = classifyExit(exitCode, exitSignal, stoppedBy !== null)
      if (stoppedBy !== null) outcome.message = `${stoppedBy}; ${outcome.message}`
      settle({outcome, started: true, stderr: stderr(), stdout: stdout()})
    })
  })
}

/** Keeps the last `limit` bytes and drains the rest, so k6 never blocks on a full pipe. */
function capture(stream: NodeJS.ReadableStream, limit: number): () => CapturedOutput {
  let chunks: Buffer[] = []
  let kept = 0
  let total = 0
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length
    chunks.push(chunk)
    kept += chunk.length
    if (kept > limit * 2) {
      const tail = Buffer.concat(chunks).subarray(-limit)
      chunks = [tail]
      kept = tail.length
    }
  })
  stream.on('error', () => {})
  return () => {
    const all = Buffer.concat(chunks)
    const tail = all.length > limit ? all.subarray(-limit) : all
    return {text: tail.toString('utf8'), totalBytes: total, truncated: total > tail.length}
  }
}

async function readSummary(file: string): Promise<{error: string | null; summary: K6Summary | null}> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {error: code === 'ENOENT' ? `k6 wrote no summary at ${file}` : `cannot read ${file}: ${(error as Error).message}`, summary: null}
  }
  const parsed = parseSummaryExport(text)
  return parsed.ok ? {error: null, summary: parsed.summary} : {error: `${file}: ${parsed.reason}`, summary: null}
}

async function readStream(file: string, options: {runStartWallMs: number; windows: readonly K6Window[]}): Promise<{error: string | null; stream: K6StreamResult | null}> {
  try {
    await stat(file)
  } catch {
    return {error: `k6 wrote no metrics stream at ${file}`, stream: null}
  }
  try {
    return {error: null, stream: await readK6Stream(file, options)}
  } catch (error) {
    return {error: `cannot read ${file}: ${(error as Error).message}`, stream: null}
  }
}
