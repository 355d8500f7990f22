import {execFile} from 'node:child_process'

/** A failed `ip` or `tc` call, with what the tool said. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`${command}: ${stderr.trim() || 'failed'}`)
    this.name = 'CommandError'
  }
}

/** Runs a tool without a shell; resolves with stdout, rejects with its stderr. Honours the signal. */
export function run(file: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, {encoding: 'utf8', maxBuffer: 4 << 20, timeout: 15_000, ...(signal ? {signal} : {})}, (error, stdout, stderr) => {
      if (error) reject(signal?.aborted ? abortReason(signal) : new CommandError(`${file} ${args.join(' ')}`, stderr || error.message))
      else resolve(stdout)
    })
  })
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason))
}
