/**
 * How `rift run` and `rift demo` show progress. On a terminal, the live view (redrawn in place); otherwise —
 * CI, a pipe, a file, `TERM=dumb`, `--no-live` or `RIFT_NO_LIVE=1` — plain timestamped lines without control
 * characters; under `--json` or `--quiet`, nothing. `--gameday` needs a terminal on both stdin and stderr.
 */
import type {BeforeFault, RunEvents} from '../engine/events.js'
import {RiftError} from '../errors.js'
import {LiveReporter} from '../reports/live/reporter.js'
import {PlainReporter, progressLine} from '../reports/plain.js'

export interface ProgressChoice {
  json: boolean
  quiet: boolean
  noLive: boolean
  gameday: boolean
}

export interface Progress {
  mode: 'live' | 'gameday' | 'plain' | 'quiet'
  events: RunEvents
  say?: (line: string) => void
  beforeFault?: BeforeFault
  /** Gives the terminal back before the process leaves in a hurry (a second Ctrl-C). */
  restore?: () => void
}

const truthy = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'

/** Whether the live view may draw on this stream: a TTY, not CI, not a dumb terminal, not turned off. */
export function liveAllowed(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !truthy(env.CI) && !truthy(env.RIFT_NO_LIVE) && env.TERM !== 'dumb'
}

export function chooseProgress(choice: ProgressChoice, env: NodeJS.ProcessEnv = process.env): Progress {
  if (choice.gameday) {
    const conflict = choice.json ? '--json' : choice.quiet ? '--quiet' : choice.noLive ? '--no-live' : undefined
    if (conflict) throw new RiftError('RIFT_USAGE', `--gameday shows the live view and asks before each fault; it cannot be combined with ${conflict}`, {suggestions: ['rift run <experiment> --gameday']})
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new RiftError('RIFT_USAGE', `--gameday needs an interactive terminal: ${!process.stdin.isTTY ? 'stdin' : 'stderr'} is not a TTY, so rift could not ask before each fault`, {
        suggestions: ['Run it from a terminal, not from CI or a pipe', 'Without prompts: rift run <experiment>'],
      })
    }
    const live = new LiveReporter({color: !truthy(env.NO_COLOR), gameday: {input: process.stdin}, output: process.stderr})
    return {beforeFault: live.beforeFault, events: live, mode: 'gameday', restore: () => live.close(), say: live.say}
  }
  if (choice.json || choice.quiet) return {events: {}, mode: 'quiet'}
  if (!choice.noLive && liveAllowed(process.stderr, env)) {
    const live = new LiveReporter({color: !truthy(env.NO_COLOR), output: process.stderr})
    return {events: live, mode: 'live', restore: () => live.close(), say: live.say}
  }
  return {events: new PlainReporter(), mode: 'plain', say: progressLine}
}
