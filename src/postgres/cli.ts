/**
 * `pg-cluster`: the PostgreSQL experiments' controller, independent of rift's CLI so that an experiment's
 * `command` step can run it as an operator's script would be run. Every command prints one JSON line on
 * success and exits 0; on failure it prints the reason on stderr and exits 1.
 *
 *   pg-cluster up <experiment.yaml> --dir <folder> [--replication async|sync]
 *   pg-cluster down --dir <folder> [--keep]
 *   pg-cluster failover --proxy <url> --promote <host:port> [--endpoint pg-endpoint] [--timeout 30s]
 *   pg-cluster check --url <postgres://…> [--writable] [--streaming <name>] [--sync-standby <name>]
 */
import {parseArgs} from 'node:util'

import {parseDuration} from '../util/duration.js'
import {check, down, failover, up} from './controller.js'
import {ENDPOINT_PROXY, loadLayout} from './layout.js'

export const USAGE = `usage:
  pg-cluster up <experiment.yaml> --dir <folder> [--replication async|sync]
  pg-cluster down --dir <folder> [--keep]
  pg-cluster failover --proxy <url> --promote <host:port> [--endpoint ${ENDPOINT_PROXY}] [--timeout 30s]
  pg-cluster check --url <postgres://…> [--writable] [--streaming <name>] [--sync-standby <name>]`

const OPTIONS = {
  dir: {type: 'string'},
  endpoint: {default: ENDPOINT_PROXY, type: 'string'},
  keep: {default: false, type: 'boolean'},
  promote: {type: 'string'},
  proxy: {type: 'string'},
  replication: {default: 'async', type: 'string'},
  streaming: {type: 'string'},
  'sync-standby': {type: 'string'},
  timeout: {default: '30s', type: 'string'},
  url: {type: 'string'},
  writable: {default: false, type: 'boolean'},
} as const

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new Error(`--${flag} is required\n${USAGE}`)
  return value
}

/** Runs one command; resolves to the exit code. */
export async function main(argv: string[], out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  try {
    const {positionals, values} = parseArgs({allowPositionals: true, args: argv, options: OPTIONS, strict: true})
    const [command, ...rest] = positionals
    switch (command) {
      case 'up': {
        const file = required(rest[0], 'experiment file (first argument)')
        const mode = values.replication
        if (mode !== 'async' && mode !== 'sync') throw new Error(`--replication must be async or sync, got ${JSON.stringify(mode)}`)
        const dir = required(values.dir, 'dir')
        try {
          out(JSON.stringify(await up(await loadLayout(file), {dir, mode})))
        } catch (error) {
          await down(dir, {keep: true}).catch(() => {})
          throw error
        }
        return 0
      }
      case 'down':
        await down(required(values.dir, 'dir'), {keep: values.keep})
        out(JSON.stringify({down: values.dir}))
        return 0
      case 'failover': {
        const timeout = parseDuration(values.timeout)
        if (!timeout.ok) throw new Error(`--timeout: ${timeout.reason}`)
        out(JSON.stringify(await failover({endpoint: values.endpoint, promote: required(values.promote, 'promote'), proxyUrl: required(values.proxy, 'proxy'), timeoutMs: timeout.ms})))
        return 0
      }
      case 'check': {
        const result = await check({
          url: required(values.url, 'url'),
          writable: values.writable,
          ...(values.streaming === undefined ? {} : {streaming: values.streaming}),
          ...(values['sync-standby'] === undefined ? {} : {syncStandby: values['sync-standby']}),
        })
        out(JSON.stringify(result))
        if (!result.ok) process.stderr.write(`pg-cluster check: ${result.problems.join('; ')}\n`)
        return result.ok ? 0 : 1
      }
      case undefined:
      default:
        throw new Error(`${command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`}\n${USAGE}`)
    }
  } catch (error) {
    process.stderr.write(`pg-cluster: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
