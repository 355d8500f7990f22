import {Flags} from '@oclif/core'

import {RiftCommand} from '../../base-command.js'
import {MAX_REGIONS, PATTERNS, REPLICATION_MODES, startSandbox, type SandboxInfo} from '../../sandbox/index.js'
import {catchSignals} from '../../cli/signals.js'

export default class SandboxUp extends RiftCommand<void> {
  static override description = `Start the sandbox, a small multi-region system to practise region faults on, until Ctrl-C.

Per region an API node with a replicated key-value store; replication between regions over TCP through the fault proxy; a global router that health-checks the regions through the proxy and fails over. Every path is a named proxy (client-<region>, repl-<from>-<to>) on a Toxiproxy-compatible server, so experiments and toxiproxy clients can fault it by name.

Patterns: active-passive (async or sync replication; the router promotes a replica when the primary is down), active-active (every region takes writes; last writer wins), sharded (each key lives in its home region only). See docs/sandbox.md.

Everything listens on 127.0.0.1. On SIGINT or SIGTERM the router, the nodes, the proxies and the embedded proxy server are closed and the command exits 0.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> --pattern active-passive', description: 'Two regions, us-east primary and eu-west replica, asynchronous replication'},
    {command: '<%= config.bin %> <%= command.id %> --pattern active-passive --replication sync', description: 'Writes are acknowledged only once the replica has applied them'},
    {command: '<%= config.bin %> <%= command.id %> --pattern sharded --regions 3 --json', description: 'Three shards; print the endpoints and links as one JSON line'},
    {command: '<%= config.bin %> <%= command.id %> --pattern active-active --proxy-url http://127.0.0.1:8474', description: 'Create the links on a Toxiproxy that is already running'},
  ]
  static override flags = {
    pattern: Flags.option({description: 'how the regions share the data', options: PATTERNS, required: true})(),
    regions: Flags.integer({default: 2, description: 'how many regions: us-east, eu-west, ap-south, sa-east, …', max: MAX_REGIONS, min: 1}),
    replication: Flags.option({description: 'when a write is acknowledged (active-passive and active-active; default async)', options: REPLICATION_MODES})(),
    'proxy-url': Flags.string({description: 'a Toxiproxy-compatible API to create the links on (default: start the embedded one)'}),
    'health-interval': Flags.integer({default: 100, description: 'how often the router health-checks each region, in ms', min: 10}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(SandboxUp)
    const signals = catchSignals()
    try {
      const sandbox = await startSandbox({
        healthIntervalMs: flags['health-interval'],
        pattern: flags.pattern,
        regions: flags.regions,
        ...(flags.replication === undefined ? {} : {replication: flags.replication}),
        ...(flags['proxy-url'] === undefined ? {} : {proxyUrl: flags['proxy-url']}),
      })
      try {
        const info: SandboxInfo = {
          pattern: sandbox.pattern,
          proxyUrl: sandbox.proxyUrl,
          regions: sandbox.regions,
          replication: sandbox.replication,
          routerUrl: sandbox.routerUrl,
          topology: sandbox.topology,
        }
        // One line, so a parent process (or `rift demo`) can read every endpoint as soon as it appears.
        if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(info)}\n`)
        else {
          this.log(describe(info))
          process.stderr.write('Press Ctrl-C to stop; everything is closed on the way out.\n')
        }
        const signal = await signals.first
        process.stderr.write(`${signal}: stopping the sandbox\n`)
      } finally {
        await sandbox.stop()
      }
    } finally {
      signals.dispose()
    }
  }
}

function describe(info: SandboxInfo): string {
  const replication = info.replication === 'none' ? 'no replication' : `${info.replication} replication`
  const regionWidth = Math.max(...info.regions.map((region) => region.name.length))
  const linkWidth = Math.max(...info.topology.links.map((link) => link.name.length))
  const pathWidth = Math.max(...info.topology.links.map((link) => `${link.from} → ${link.to}`.length))
  const lines = [
    `rift sandbox: ${info.pattern}, ${replication}, ${info.regions.length} region${info.regions.length === 1 ? '' : 's'}`,
    `router  ${info.routerUrl}   (clients: PUT/GET ${info.routerUrl}/kv/<key>; state at /router/state)`,
    `proxy   ${info.proxyUrl}   (Toxiproxy API)`,
    'regions',
    ...info.regions.map((region) => `  ${region.name.padEnd(regionWidth)}  ${region.role.padEnd(7)}  ${region.apiUrl}  (through its proxy: ${region.clientUrl})`),
    'links',
    ...info.topology.links.map((link) => `  ${link.name.padEnd(linkWidth)}  ${`${link.from} → ${link.to}`.padEnd(pathWidth)}  ${link.listen} → ${link.upstream}`),
  ]
  return lines.join('\n')
}
