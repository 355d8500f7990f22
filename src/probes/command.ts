/**
 * `command` probe: runs argv directly (no shell, so nothing in it is interpolated) with a deadline. Passes
 * when the exit code is the expected one and, if asked, stdout contains a string. On timeout or abort the
 * process is killed with SIGKILL: a probe must not outlive its step.
 */
import {spawn} from 'node:child_process'
import type {z} from 'zod'

import type {commandProbeSchema} from '../experiment/schema.js'
import type {ProbeOutcome} from './outcome.js'
import {abortReason, elapsedMs, timeoutMs} from './timeout.js'

export type CommandProbeSpec = z.output<typeof commandProbeSchema>['command']

export interface CommandValue {
  [key: string]: number | string | null
  /** null when the process did not exit on its own (killed, or never started). */
  exitCode: number | null
  signal: string | null
  /** The start of stdout, for the journal. */
  stdout: string
}

export interface CommandProbeOutcome extends ProbeOutcome {
  value: CommandValue | null
}

/** stdout is kept up to this size for `stdoutContains`; the journal gets the first `JOURNAL_CHARS`. */
const MAX_OUTPUT_BYTES = 1024 * 1024
const JOURNAL_CHARS = 4096

export async function runCommandProbe(spec: CommandProbeSpec, signal: AbortSignal): Promise<CommandProbeOutcome> {
  signal.throwIfAborted()
  const [file, ...args] = spec.run as [string, ...string[]]
  const limitMs = timeoutMs(spec.timeout)
  const started = performance.now()
  const run = await execute(file, args, limitMs, signal)
  const durationMs = elapsedMs(started)
  const label = spec.run.join(' ')
  if (run.kind === 'not-started') return {detail: `${label}: cannot start ${file} (${run.reason})`, durationMs, ok: false, value: null}
  const value: CommandValue = {exitCode: run.exitCode, signal: run.signal, stdout: run.stdout.slice(0, JOURNAL_CHARS)}
  if (run.kind === 'timed-out') return {detail: `${label}: killed after the ${limitMs}ms timeout`, durationMs, ok: false, value}
  const problems: string[] = []
  if (run.exitCode !== spec.expect.exitCode) {
    const how = run.exitCode === null ? `was killed by ${run.signal ?? 'a signal'}` : `exited ${run.exitCode}`
    problems.push(`${how}, expected exit code ${spec.expect.exitCode}${tail(run.stderr)}`)
  }
  const wanted = spec.expect.stdoutContains
  if (wanted !== undefined && !run.stdout.includes(wanted)) problems.push(`stdout does not contain ${JSON.stringify(wanted)}`)
  return {
    detail: problems.length === 0 ? `${label}: exited ${run.exitCode} in ${Math.round(durationMs)}ms` : `${label}: ${problems.join('; ')}`,
    durationMs,
    ok: problems.length === 0,
    value,
  }
}

type Execution =
  | {exitCode: number | null; kind: 'exited' | 'timed-out'; signal: string | null; stderr: string; stdout: string}
  | {kind: 'not-started'; reason: string}

function execute(file: string, args: string[], limitMs: number, signal: AbortSignal): Promise<Execution> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true})
    const stdout = capture(child.stdout)
    const stderr = capture(child.stderr)
    let settled = false
    const settle = (finish: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      finish()
    }
    // Settle at once after a kill: a grandchild holding stdout open must not keep the probe waiting.
    const kill = (): void => {
      child.kill('SIGKILL')
      child.stdout.destroy()
      child.stderr.destroy()
    }
    const onAbort = (): void =>
      settle(() => {
        kill()
        reject(abortReason(signal))
      })
    const timer = setTimeout(
      () =>
        settle(() => {
          kill()
          resolve({exitCode: null, kind: 'timed-out', signal: 'SIGKILL', stderr: stderr(), stdout: stdout()})
        }),
      limitMs,
    )
    signal.addEventListener('abort', onAbort, {once: true})
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(() => resolve({kind: 'not-started', reason: error.code === 'ENOENT' ? 'not found' : (error.code ?? error.message)})),
    )
    child.once('close', (exitCode, exitSignal) =>
      settle(() => resolve({exitCode, kind: 'exited', signal: exitSignal, stderr: stderr(), stdout: stdout()})),
    )
  })
}

/** Collects a stream up to MAX_OUTPUT_BYTES and keeps draining past it, so the child never blocks on a full pipe. */
function capture(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = []
  let bytes = 0
  stream.on('data', (chunk: Buffer) => {
    if (bytes >= MAX_OUTPUT_BYTES) return
    chunks.push(chunk)
    bytes += chunk.length
  })
  return () => Buffer.concat(chunks).toString('utf8').slice(0, MAX_OUTPUT_BYTES)
}

function tail(stderr: string): string {
  const text = stderr.trim()
  return text === '' ? '' : `; stderr: ${text.length > 300 ? `…${text.slice(-300)}` : text}`
}
