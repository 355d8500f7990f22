import {Flags} from '@oclif/core'

import {RiftCommand} from '../../base-command.js'
import {catchSignals} from '../../cli/signals.js'
import {VERDICT_EXIT_CODES, worstVerdict} from '../../engine/verdict.js'
import {RiftError} from '../../errors.js'
import {progressLine} from '../../reports/plain.js'
import {runComparison, type ComparisonFiles} from '../../sandbox/compare/run.js'
import {renderText, type Comparison} from '../../sandbox/compare/table.js'
import {selectVariants, VARIANT_IDS} from '../../sandbox/compare/variants.js'
import {parseDuration} from '../../util/duration.js'

export default class SandboxCompare extends RiftCommand<Comparison & {files: ComparisonFiles}> {
  static override description = `Run the same region outage against each sandbox layout and compare what it cost, measured.

One after another, on a fresh sandbox each: active-passive with async replication, active-passive with sync replication, active-active, sharded. Each is a full rift run (steady state, us-east taken off the network for --duration, recovery, everything reverted) with a prober reading one key through the router every 20 ms and a write ledger (--rate, 100 writes/s). The table — failover time, lost writes, failed writes, write latency, read latency, reads during the outage — is read from the runs' journals and written to .rift/compare/<id>/compare.md and compare.html (self-contained). Every replication link gets --latency each way for the whole run, as between real regions. See docs/sandbox.md.

Exits 0 when every run passed; otherwise with the worst run's verdict, as rift run would.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --patterns active-passive-async,active-passive-sync --duration 2s',
    '<%= config.bin %> <%= command.id %> --latency 0ms --json > comparison.json',
  ]
  static override flags = {
    duration: Flags.string({default: '4s', description: 'how long us-east is off the network'}),
    latency: Flags.string({default: '50ms', description: 'one-way delay on every link between regions, each way, for the whole run'}),
    rate: Flags.integer({default: 100, description: 'writes per second by the write ledger (more writes, finer lost-write counts)', max: 1000, min: 1}),
    patterns: Flags.string({description: `comma-separated subset of ${VARIANT_IDS.join(', ')} (default: all four)`}),
  }

  public async run(): Promise<Comparison & {files: ComparisonFiles}> {
    const {flags} = await this.parse(SandboxCompare)
    const variants = selectVariants(flags.patterns)
    const outageMs = durationFlag('--duration', flags.duration)
    const interRegionLatencyMs = durationFlag('--latency', flags.latency, true)
    const controller = new AbortController()
    const signals = catchSignals()
    void signals.first.then((signal) => {
      process.stderr.write(`${signal}: stopping the run in progress (everything is reverted) and skipping the rest; Ctrl-C again leaves at once\n`)
      controller.abort()
    })
    try {
      const json = this.jsonEnabled()
      const result = await runComparison({interRegionLatencyMs, outageMs, writesPerSecond: flags.rate, signal: controller.signal, variants, ...(json ? {} : {say: progressLine})})
      const worst = worstVerdict(result.rows.map((row) => row.verdict))
      process.exitCode = result.notRun.length > 0 ? VERDICT_EXIT_CODES.interrupted : VERDICT_EXIT_CODES[worst]
      this.say(`\n${renderText(result)}\n`)
      this.say(`Markdown: ${result.files.markdown}\nHTML:     ${result.files.html}`)
      return result
    } finally {
      signals.dispose()
    }
  }
}

function durationFlag(flag: string, text: string, zeroAllowed = false): number {
  const parsed = parseDuration(text)
  if (!parsed.ok || (!zeroAllowed && parsed.ms <= 0)) {
    throw new RiftError('RIFT_USAGE', `${flag}: ${parsed.ok ? 'must be longer than 0' : parsed.reason}`, {suggestions: [`${flag} ${zeroAllowed ? '50ms' : '4s'}`]})
  }
  return parsed.ms
}
