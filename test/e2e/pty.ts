/**
 * Runs the built CLI in a pseudo-terminal, as a person at a terminal does: util-linux `script` allocates the
 * pty, `stty` gives it a size, and what the CLI draws comes back raw (escape sequences and all). Keys are
 * typed through `type()`.
 */
import {spawn} from 'node:child_process'

import {BIN} from './cli.js'

export interface PtyRun {
  output: () => string
  type: (keys: string) => void
  /** Resolves once the output matches `pattern` (fails the test after `timeoutMs`). */
  waitFor: (pattern: RegExp | string, timeoutMs?: number) => Promise<void>
  done: Promise<{code: number | null; output: string}>
}

const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`

/** `shellTail` is appended to the command line inside the pty (for example `> out.json`). */
export function inPty(args: string[], cwd: string, options: {env?: NodeJS.ProcessEnv; columns?: number; rows?: number; shellTail?: string} = {}): PtyRun {
  const command = `stty cols ${options.columns ?? 110} rows ${options.rows ?? 34}; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}${options.shellTail ?? ''}`
  // CI=1 would (rightly) turn the live view off; a terminal is what is under test here.
  const env = {...process.env, CI: '', NO_COLOR: '', RIFT_NO_LIVE: '', TERM: 'xterm-256color', ...options.env}
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {cwd, env, stdio: ['pipe', 'pipe', 'pipe']})
  let output = ''
  const waiters: {check: () => boolean; resolve: () => void}[] = []
  const onData = (chunk: Buffer): void => {
    output += chunk.toString()
    for (const waiter of [...waiters]) {
      if (!waiter.check()) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const done = new Promise<{code: number | null; output: string}>((resolve) => child.on('close', (code) => resolve({code, output})))
  return {
    done,
    output: () => output,
    type: (keys) => void child.stdin.write(keys),
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): boolean => (typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output))
        if (check()) return resolve()
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(pattern)}; the terminal showed:\n${output.slice(-2000)}`)), timeoutMs)
        waiters.push({
          check,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      }),
  }
}
