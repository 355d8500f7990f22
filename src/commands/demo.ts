import {fileURLToPath} from 'node:url'

import {RiftCommand} from '../base-command.js'
import {loadRegistry} from '../cli/registry.js'
import {runExperimentFile} from '../cli/run-file.js'
import type {Journal} from '../engine/journal.js'
import {chooseProgress} from '../cli/progress.js'

/** The flagship experiment, shipped with rift; from dist/commands/ (or src/commands/) up to the package root. */
const FLAGSHIP = fileURLToPath(new URL('../../experiments/sandbox/active-passive-outage.yaml', import.meta.url))

const STORY = `rift demo: a region outage, end to end (about 10 seconds, all on this machine)

  1. Start a small two-region system: us-east (primary) and eu-west (replica) with async replication,
     and a global router that health-checks both regions through rift's fault proxy.
  2. Check the hypothesis: writes and reads work through the router.
  3. Take us-east off the network: its proxies refuse every connection, for 4 seconds.
  4. Watch the router notice (3 failed health checks), promote eu-west, and keep serving writes.
  5. End the outage, revert every fault, and check the hypothesis again.
  Throughout, a prober (every 20 ms) and 50 keyed writes a second measure what clients felt: the
  failover time and, read back at the end, every acknowledged write that was lost.
`

export default class Demo extends RiftCommand<Journal> {
  static override description = `Watch a region die and traffic fail over: runs the flagship region-outage experiment on rift's sandbox and tells its story.

Needs nothing installed beyond rift. Exits with the run's verdict like rift run; the journal is in .rift/runs/<run-id>/.`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  public async run(): Promise<Journal> {
    await this.parse(Demo)
    const json = this.jsonEnabled()
    if (!json) process.stderr.write(`${STORY}\n`)
    const progress = chooseProgress({gameday: false, json, noLive: false, quiet: false})
    let journal: Journal
    try {
      journal = await runExperimentFile(FLAGSHIP, {
        events: progress.events,
        registry: await loadRegistry(this.config),
        ...(progress.say ? {say: progress.say} : {}),
        ...(progress.restore ? {restore: progress.restore} : {}),
      })
    } finally {
      progress.restore?.()
    }
    process.exitCode = journal.exitCode
    this.say(`\n${journal.verdict.toUpperCase()}: ${journal.experiment.title}`)
    this.say(`  ${journal.reason}`)
    this.say(`\nNext: rift run experiments/sandbox/sharded-outage.yaml (nothing to fail over to), rift sandbox up --pattern active-active,`)
    this.say(`or write your own with rift init. The journal: ${journal.paths.journal}`)
    return journal
  }
}
