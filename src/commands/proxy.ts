import {Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import type {ProxyLogLevel} from '../proxy/api/log.js'
import {DEFAULT_PROXY_API_HOST, DEFAULT_PROXY_API_PORT, isLoopbackHost, startProxyServer} from '../proxy/server.js'
import {catchSignals} from '../cli/signals.js'

/** What `rift proxy --json` prints, as one line, once the API is listening. */
export interface ProxyListening {
  host: string
  port: number
  proxies: string[]
  url: string
  version: string
}

export default class ProxyCommand extends RiftCommand<void> {
  static override description = `Run rift's Toxiproxy-compatible fault proxy until Ctrl-C.

It serves the HTTP API of Toxiproxy 2.12 (the same endpoints, status codes, bodies and toxics), so toxiproxy-node-client and other Toxiproxy clients work unchanged, plus rift's extensions: a corrupt toxic and leases that revert faults by themselves when the runner stops renewing them. See docs/proxy.md.

Safe by default: the API binds 127.0.0.1, and proxies may only listen on loopback addresses. --allow-non-loopback lifts both, with a warning. On SIGINT or SIGTERM every proxy and connection is closed and the command exits 0.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Serve the API on 127.0.0.1:8474, as Toxiproxy does'},
    {command: '<%= config.bin %> <%= command.id %> --port 0 --json', description: 'Pick a free port and print {"url": …} as one JSON line'},
    {command: '<%= config.bin %> <%= command.id %> --config proxies.json --metrics', description: 'Create proxies at start and serve Prometheus metrics at /metrics'},
  ]
  static override flags = {
    host: Flags.string({default: DEFAULT_PROXY_API_HOST, description: 'address the API listens on (loopback unless --allow-non-loopback)'}),
    port: Flags.integer({default: DEFAULT_PROXY_API_PORT, description: 'port the API listens on; 0 picks a free one', min: 0, max: 65_535}),
    config: Flags.string({description: "JSON file of proxies to create at start (the body of Toxiproxy's POST /populate)"}),
    metrics: Flags.boolean({description: 'serve /metrics with the proxy byte counters (Toxiproxy -proxy-metrics)'}),
    'runtime-metrics': Flags.boolean({description: "add Node's process metrics to /metrics (Toxiproxy -runtime-metrics)"}),
    'allow-non-loopback': Flags.boolean({description: 'let the API and proxies bind addresses other than loopback (reachable from other machines)'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProxyCommand)
    const json = this.jsonEnabled()
    const allowNonLoopback = flags['allow-non-loopback']
    if (allowNonLoopback) {
      const where = isLoopbackHost(flags.host) ? 'Proxies' : `The API on ${flags.host} and proxies`
      process.stderr.write(
        `Warning: --allow-non-loopback: ${where} may listen on addresses other machines can reach. The API has no authentication: anyone who reaches it can redirect and break traffic through every proxy.\n`,
      )
    }
    // Listen for signals before anything binds, so a signal at any point still closes everything.
    const signals = catchSignals()
    try {
      const server = await startProxyServer({
        allowNonLoopback,
        host: flags.host,
        log: (level, message, fields) => writeLog(json, level, message, fields),
        metrics: flags.metrics,
        port: flags.port,
        runtimeMetrics: flags['runtime-metrics'],
        ...(flags.config === undefined ? {} : {config: flags.config}),
      })
      const listening: ProxyListening = {
        host: server.host,
        port: server.port,
        proxies: server.collection.proxies().map((proxy) => proxy.name),
        url: server.url,
        version: server.version,
      }
      // One line, so a parent process can read the URL as soon as it appears.
      if (json) process.stdout.write(`${JSON.stringify(listening)}\n`)
      else {
        this.log(`rift proxy: Toxiproxy ${listening.version} API listening on ${server.url}`)
        for (const proxy of server.collection.proxies()) this.log(`  proxy ${proxy.name}: ${proxy.listen} → ${proxy.upstream}${proxy.enabled ? '' : ' (disabled)'}`)
        process.stderr.write('Press Ctrl-C to stop; every proxy and connection is closed on the way out.\n')
      }
      const signal = await signals.first
      process.stderr.write(`${signal}: closing every proxy and connection\n`)
      await server.close()
    } finally {
      signals.dispose()
    }
  }
}

/** Logs go to stderr: as JSON lines under --json (stdout holds only the listening line), as text otherwise. */
function writeLog(json: boolean, level: ProxyLogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const time = new Date().toISOString()
  process.stderr.write(json ? `${JSON.stringify({level, time, message, ...fields})}\n` : `${time} ${level.toUpperCase()} ${message}\n`)
}
