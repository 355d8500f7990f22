// Benchmark of the built-in load generator (src/workloads/load) against a trivial HTTP server on loopback.
//
// The server runs in its own process (this script re-run with --child) so the generator has a core to itself,
// as a k6 process would. Each round measures, in the same run:
//   bare loop:   requests one after another on one keep-alive connection, paced at BENCH_LOW_RATE with a timer
//                (so its socket idles between requests as the generator's do) — the latency floor a client sees
//   generator:   constant arrival rate at BENCH_LOW_RATE (1,000/s) — its p50 minus the bare p50 is its overhead
//   throughput:  constant arrival rate at BENCH_HIGH_RATE (12,000/s), maxInFlight 128 — requests completed per s
// Figures are medians over rounds, with the spread. Targets (issue 5): ≥ 10,000 requests/s, overhead < 0.2 ms
// at p50. Run `npm run build` first. Loopback only, bounded: about 40 s on a 2-core machine.
//
// Environment: BENCH_ROUNDS (default 5), BENCH_SECONDS (4), BENCH_LOW_RATE (1000), BENCH_HIGH_RATE (12000).
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import http from 'node:http'
import {createInterface} from 'node:readline'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const modulePath = `${root}/dist/workloads/load/index.js`

if (process.argv[2] === '--child') child()
else await main()

function child() {
  const server = http.createServer((request, response) => {
    request.resume()
    request.on('end', () => response.end('ok'))
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

async function main() {
  if (!existsSync(modulePath)) {
    console.error('dist/ is missing: run `npm run build` first')
    process.exit(2)
  }
  const {startLoadGenerator} = await import(pathToFileURL(modulePath).href)
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
  const seconds = Number(process.env.BENCH_SECONDS ?? 4)
  const lowRate = Number(process.env.BENCH_LOW_RATE ?? 1000)
  const highRate = Number(process.env.BENCH_HIGH_RATE ?? 12000)

  const server = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], {stdio: ['pipe', 'pipe', 'inherit']})
  const port = Number(await new Promise((resolve) => createInterface({input: server.stdout}).once('line', resolve)))
  const target = `http://127.0.0.1:${port}/`
  console.log(`rift bench:load — trivial HTTP server on ${target} (own process), ${rounds} rounds of ${seconds} s`)

  const results = {bare: [], generator: [], overhead: [], rate: [], dropped: [], failed: []}
  try {
    await bareLoop(target, 500, 0) // warm-up
    for (let round = 1; round <= rounds; round += 1) {
      const bare = await bareLoop(target, lowRate * seconds, lowRate)
      const low = await generate(startLoadGenerator, target, lowRate, 64, seconds)
      const high = await generate(startLoadGenerator, target, highRate, 128, seconds)
      results.bare.push(bare.p50)
      results.generator.push(low.p50)
      results.overhead.push(low.p50 - bare.p50)
      results.rate.push(high.achievedRate)
      results.dropped.push(high.dropped)
      results.failed.push(high.failed + low.failed)
      console.log(
        `round ${round}: bare p50 ${bare.p50.toFixed(3)} ms · generator@${lowRate}/s p50 ${low.p50.toFixed(3)} ms (overhead ${(low.p50 - bare.p50).toFixed(3)} ms) · ` +
          `@${highRate}/s achieved ${Math.round(high.achievedRate)}/s, dropped ${high.dropped}, failed ${high.failed}`,
      )
    }
  } finally {
    server.stdin.end()
  }
  const overhead = median(results.overhead)
  const rate = median(results.rate)
  console.log('')
  console.log(`bare request loop p50 at ${lowRate}/s ${fmt(results.bare, 3)} ms`)
  console.log(`generator p50 at ${lowRate}/s      ${fmt(results.generator, 3)} ms`)
  console.log(`generator overhead at p50      ${fmt(results.overhead, 3)} ms   target < 0.2 ms  ${overhead < 0.2 ? 'MET' : 'MISSED'}`)
  console.log(`throughput at ${highRate}/s offered ${fmt(results.rate, 0)} req/s   target ≥ 10000  ${rate >= 10_000 ? 'MET' : 'MISSED'}`)
  console.log(`dropped (maxInFlight reached)  ${fmt(results.dropped, 0)} · failed ${fmt(results.failed, 0)}`)
}

/** `count` requests one at a time; with `ratePerSecond`, request k waits until start + k / rate. */
async function bareLoop(target, count, ratePerSecond) {
  const agent = new http.Agent({keepAlive: true, maxSockets: 1})
  const latencies = []
  const start = performance.now()
  for (let index = 0; index < count; index += 1) {
    if (ratePerSecond > 0) {
      const wait = start + (index * 1000) / ratePerSecond - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    }
    const started = performance.now()
    await new Promise((resolve, reject) => {
      const request = http.get(target, {agent}, (response) => {
        response.on('end', resolve)
        response.resume()
      })
      request.on('error', reject)
    })
    latencies.push(performance.now() - started)
  }
  agent.destroy()
  return {p50: percentile(latencies, 50)}
}

async function generate(startLoadGenerator, target, ratePerSecond, maxInFlight, seconds) {
  const generator = startLoadGenerator({maxInFlight, ratePerSecond, target, timeoutMs: 2000})
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const run = await generator.stop()
  const latencies = []
  run.samples.forEachIn(0, Infinity, (latencyMs, ok) => ok && latencies.push(latencyMs))
  return {achievedRate: run.achievedRate, dropped: run.dropped, failed: run.failed, p50: percentile(latencies, 50)}
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
function median(values) {
  return percentile(values, 50)
}
function fmt(values, digits) {
  const sorted = [...values].sort((a, b) => a - b)
  return `${median(values).toFixed(digits)} (${sorted[0].toFixed(digits)}–${sorted.at(-1).toFixed(digits)})`
}
