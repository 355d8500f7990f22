import {Command, Errors} from '@oclif/core'

import {RiftError, toRiftError, type RiftErrorJson} from './errors.js'

/**
 * Under `--json`, stdout holds exactly one JSON document and nothing else: the command's result on success
 * (for `rift run`, the journal itself), or `{error, status}` when the command could not do its job.
 */
export type JsonError = {error: RiftErrorJson; status: number}

/**
 * Every rift command: parse, call one library function, set the exit code, return a typed result that is
 * also the `--json` payload. Errors become RiftErrors with a code and an exit code from the brief's table.
 */
export abstract class RiftCommand<R> extends Command {
  static override enableJsonFlag = true

  public abstract override run(): Promise<R>

  protected override toSuccessJson(result: R): R {
    return result
  }

  protected override toErrorJson(error: unknown): JsonError {
    const rift = toRiftError(error)
    return {error: rift.toJSON(), status: rift.exitCode}
  }

  /** Human output goes to stderr when it is progress, stdout when it is the answer; never under --json. */
  protected say(message: string): void {
    if (!this.jsonEnabled()) this.log(message)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const rift = fromOclifError(error)
    process.exitCode = rift.exitCode
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(rift))
      return
    }
    // Printed here rather than by oclif, which wraps at 80 columns off a terminal and would break the
    // file:line:column lines that editors and CI logs link to. A stack only for bugs, and only under DEBUG.
    process.stderr.write(formatError(rift) + '\n')
    if (rift.code === 'RIFT_INTERNAL' && process.env.DEBUG && error.stack) process.stderr.write(error.stack + '\n')
    throw new Errors.ExitError(rift.exitCode)
  }
}

export function formatError(error: RiftError): string {
  const lines = [`Error: ${error.message}`, `Code: ${error.code}`]
  if (error.suggestions.length === 1) lines.push(`Try this: ${error.suggestions[0]}`)
  if (error.suggestions.length > 1) lines.push('Try this:', ...error.suggestions.map((suggestion) => `  * ${suggestion}`))
  lines.push(`Reference: ${error.ref}`)
  return lines.join('\n')
}

/** oclif's own parse errors (unknown flag, missing argument) are usage errors: exit 2. */
function fromOclifError(error: Error & {oclif?: {exit?: number}}): RiftError {
  if (error instanceof RiftError) return error
  if (error instanceof Errors.CLIError && error.oclif?.exit === 2) {
    return new RiftError('RIFT_USAGE', error.message.split('\n')[0] ?? error.message, {
      suggestions: ['See the command help: rift <command> --help'],
    })
  }
  return toRiftError(error)
}
