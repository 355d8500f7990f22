// Wall time of `rift --version` and `rift validate <small file>`, each spawned afresh as a user would.
// Prints medians and spread over N runs; the budget is 400 ms each (oclif's manifest keeps start-up lean).
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(`${root}/oclif.manifest.json`)) {
  console.error('oclif.manifest.json is missing: run `npm run build` first')
  process.exit(1)
}
const runs = Number(process.env.BENCH_RUNS ?? 15)
const cases = [
  ['rift --version', ['--version']],
  ['rift validate (small file)', ['validate', 'experiments/region-outage-memory.yaml']],
  ['rift plan (small file)', ['plan', 'experiments/region-outage-memory.yaml']],
]

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

console.log(`node ${process.version}, ${runs} runs each (first run discarded as warm-up)`)
let over = false
for (const [label, args] of cases) {
  const times = []
  for (let i = 0; i <= runs; i++) {
    const started = process.hrtime.bigint()
    const result = spawnSync(process.execPath, ['bin/run.js', ...args], {cwd: root, encoding: 'utf8'})
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    if (result.status !== 0) {
      console.error(`${label} exited ${result.status}:\n${result.stderr}`)
      process.exit(1)
    }
    if (i > 0) times.push(ms)
  }
  times.sort((a, b) => a - b)
  const median = quantile(times, 0.5)
  if (median > 400) over = true
  console.log(`${label.padEnd(30)} median ${median.toFixed(0)} ms  min ${times[0].toFixed(0)} ms  p90 ${quantile(times, 0.9).toFixed(0)} ms  ${median <= 400 ? 'within' : 'OVER'} the 400 ms budget`)
}
process.exitCode = over ? 1 : 0
