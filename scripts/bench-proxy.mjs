// Benchmark of the fault proxy's data path against direct loopback, measured in the same run.
//
// As the Go server was measured (toxiproxy-api.md §4): the proxy runs in its own process (this script
// re-run with --child, using the built dist/proxy/core), while the Node client and upstreams run here.
// Rounds interleave direct and proxied runs, and each figure is the median over rounds, with the spread.
// Run `npm run build` first. Loopback only; well under a minute on a 2-core machine.
//
//   added round-trip latency, no toxics: 64-byte ping-pong × 5,000   p50 ≤ 40 µs, p99 ≤ 80 µs
//   bulk throughput, one way: 512 MiB                                  ≥ 900 MB/s
//   latency toxic at 100 ms (downstream), 64-byte ping-pong            mean error ≤ 1 ms, p99 error ≤ 3 ms
//   1,000 idle connections                                             proxy RSS < 200 MB
//
// Environment: BENCH_ROUNDS (default 9), BENCH_PINGS (5000), BENCH_BULK_MIB (512), RIFT_PROXY_DIST (dist dir).
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {createServer, connect} from 'node:net'
import {createInterface} from 'node:readline'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = process.env.RIFT_PROXY_DIST ?? `${root}/dist`
const coreModule = `${dist}/proxy/core/index.js`

if (process.argv[2] === '--child') await child()
else await main()

// ---------- the proxy process ----------

async function child() {
  const {createProxyCore} = await import(pathToFileURL(coreModule).href)
  const [echoPort, sinkPort] = process.argv.slice(3).map(Number)
  const proxies = {
    echo: createProxyCore({enabled: true, listen: '127.0.0.1:0', name: 'echo', upstream: `127.0.0.1:${echoPort}`}),
    sink: createProxyCore({enabled: true, listen: '127.0.0.1:0', name: 'sink', upstream: `127.0.0.1:${sinkPort}`}),
    latency: createProxyCore({enabled: true, listen: '127.0.0.1:0', name: 'latency', upstream: `127.0.0.1:${echoPort}`}),
    idle: createProxyCore({enabled: true, listen: '127.0.0.1:0', name: 'idle', upstream: `127.0.0.1:${echoPort}`}),
  }
  for (const proxy of Object.values(proxies)) await proxy.start()
  // The floor of any Node.js proxy on this machine: the smallest relay Node can do ('data' → write, Nagle off),
  // in the same process, measured in the same rounds. Not a target; the reference the p50 figure is read against.
  const relay = createServer({noDelay: true}, (client) => {
    const upstream = connect({host: '127.0.0.1', noDelay: true, port: echoPort})
    client.on('data', (data) => upstream.write(data))
    upstream.on('data', (data) => client.write(data))
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
  })
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve))
  proxies.latency.addToxic({
    attributes: {latency: 100, jitter: 0}, direction: 'downstream', name: 'latency_downstream', stream: 'downstream', toxicity: 1, type: 'latency',
  })
  const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)
  reply({ports: {...Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, Number(proxy.listen.split(':').pop())])), relay: relay.address().port}})
  for await (const line of createInterface({input: process.stdin})) {
    if (line === 'rss') {
      global.gc?.()
      reply({rss: process.memoryUsage().rss, connections: proxies.idle.stats().connections})
    }
    if (line === 'exit') break
  }
  await Promise.all(Object.values(proxies).map((proxy) => proxy.stop()))
  process.exit(0)
}

// ---------- the client and upstreams ----------

async function main() {
  if (!existsSync(coreModule)) {
    console.error(`${coreModule} is missing: run \`npm run build\` first`)
    process.exit(1)
  }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9)
  const pings = Number(process.env.BENCH_PINGS ?? 5000)
  const bulkBytes = Number(process.env.BENCH_BULK_MIB ?? 512) * 1024 * 1024

  const echo = await listen((socket) => socket.on('data', (data) => socket.write(data)))
  // Each bulk run arms the sink with its byte count and a callback for when they have all arrived.
  const sinkState = {target: 0, done: () => {}}
  const sink = await listen((socket) => {
    const {target, done} = sinkState
    let received = 0
    socket.on('data', (data) => {
      received += data.length
      if (received >= target) done()
    })
  })
  const proxy = await startChild(echo.address().port, sink.address().port)
  console.log(`node ${process.version}, ${rounds} interleaved rounds; proxy in its own process (pid ${proxy.pid})`)

  // Warm-up, not measured: JIT-compile both paths of the proxy process and of this one.
  await pingPong(proxy.ports.echo, 2000)
  await bulk(proxy.ports.sink, 64 << 20, sinkState)
  await bulk(sink.address().port, 64 << 20, sinkState)

  const results = {directP50: [], directP99: [], proxyP50: [], proxyP99: [], addedP50: [], addedP99: [], relayAddedP50: [], directMBps: [], proxyMBps: []}
  const pingPort = {direct: echo.address().port, proxy: proxy.ports.echo, relay: proxy.ports.relay}
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['direct', 'proxy', 'relay'] : ['relay', 'proxy', 'direct']
    const rtt = {}
    for (const via of order) rtt[via] = await pingPong(pingPort[via], pings)
    results.relayAddedP50.push(rtt.relay.p50 - rtt.direct.p50)
    results.directP50.push(rtt.direct.p50)
    results.directP99.push(rtt.direct.p99)
    results.proxyP50.push(rtt.proxy.p50)
    results.proxyP99.push(rtt.proxy.p99)
    results.addedP50.push(rtt.proxy.p50 - rtt.direct.p50)
    results.addedP99.push(rtt.proxy.p99 - rtt.direct.p99)
    for (const via of order.filter((name) => name !== 'relay')) {
      const port = via === 'direct' ? sink.address().port : proxy.ports.sink
      const mbps = await bulk(port, bulkBytes, sinkState)
      results[via === 'direct' ? 'directMBps' : 'proxyMBps'].push(mbps)
    }
    console.log(
      `  round ${round + 1}: ping-pong p50 direct ${us(rtt.direct.p50)} proxy ${us(rtt.proxy.p50)} bare relay ${us(rtt.relay.p50)}, p99 direct ${us(rtt.direct.p99)} proxy ${us(rtt.proxy.p99)}; ` +
        `bulk direct ${results.directMBps.at(-1).toFixed(0)} MB/s proxy ${results.proxyMBps.at(-1).toFixed(0)} MB/s`,
    )
  }

  const latencyErrors = []
  for (let round = 0; round < 3; round++) latencyErrors.push(...(await latencyToxic(proxy.ports.latency)))
  latencyErrors.sort((a, b) => a - b)
  const meanError = latencyErrors.reduce((sum, e) => sum + e, 0) / latencyErrors.length

  const idle = await idleConnections(proxy, proxy.ports.idle, 1000)

  const report = []
  const line = (label, value, target, ok, reference) => {
    report.push(ok)
    console.log(`${label.padEnd(44)} ${value.padEnd(34)} target ${target.padEnd(10)} ${ok ? 'MET ' : 'MISSED'}  ${reference}`)
  }
  console.log('\nfigure                                       median (spread over rounds)        target')
  line('added round-trip latency p50 (no toxics)', `${us(median(results.addedP50))} (${spread(results.addedP50, us)})`, '≤ 40 µs',
    median(results.addedP50) <= 0.04, `direct p50 ${us(median(results.directP50))}, proxied ${us(median(results.proxyP50))}; a bare Node relay adds ${us(median(results.relayAddedP50))} (${spread(results.relayAddedP50, us)})`)
  line('added round-trip latency p99 (no toxics)', `${us(median(results.addedP99))} (${spread(results.addedP99, us)})`, '≤ 80 µs',
    median(results.addedP99) <= 0.08, `direct p99 ${us(median(results.directP99))}, proxied ${us(median(results.proxyP99))}`)
  line(`bulk throughput (${bulkBytes / 1048576} MiB one way)`, `${median(results.proxyMBps).toFixed(0)} MB/s (${spread(results.proxyMBps, (v) => v.toFixed(0))})`,
    '≥ 900 MB/s', median(results.proxyMBps) >= 900, `direct ${median(results.directMBps).toFixed(0)} MB/s (${spread(results.directMBps, (v) => v.toFixed(0))})`)
  line(`latency toxic 100 ms: mean error (n=${latencyErrors.length})`, `${meanError.toFixed(3)} ms`, '≤ 1 ms', Math.abs(meanError) <= 1,
    `min ${latencyErrors[0].toFixed(3)} ms, p50 ${quantile(latencyErrors, 0.5).toFixed(3)} ms, max ${latencyErrors.at(-1).toFixed(3)} ms`)
  line('latency toxic 100 ms: p99 error', `${quantile(latencyErrors, 0.99).toFixed(3)} ms`, '≤ 3 ms', quantile(latencyErrors, 0.99) <= 3,
    'error = round trip − 100 ms, including the proxy path')
  line('1,000 idle connections: proxy RSS', `${mb(idle.rss)} (${idle.connections} open)`, '< 200 MB', idle.rss < 200e6 && idle.connections === 1000,
    `RSS before ${mb(idle.before)}`)

  proxy.send('exit')
  await proxy.exited
  echo.close()
  sink.close()
  process.exitCode = report.every(Boolean) ? 0 : 1
}

function listen(onConnection) {
  return new Promise((resolve) => {
    const server = createServer({noDelay: true}, (socket) => {
      socket.setNoDelay(true)
      socket.on('error', () => {})
      onConnection(socket)
    })
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

function startChild(echoPort, sinkPort) {
  const proc = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(echoPort), String(sinkPort)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({input: proc.stdout})
  const waiting = []
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)))
  const next = () => new Promise((resolve) => waiting.push(resolve))
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  return next().then(({ports}) => ({
    pid: proc.pid,
    ports,
    exited,
    send: (line) => proc.stdin.write(`${line}\n`),
    request: (line) => {
      const reply = next()
      proc.stdin.write(`${line}\n`)
      return reply
    },
  }))
}

function open(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({port, host: '127.0.0.1', noDelay: true}, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** `count` sequential 64-byte round trips after a warm-up; returns p50 and p99 in ms. */
async function pingPong(port, count) {
  const socket = await open(port)
  const message = Buffer.alloc(64, 7)
  const times = new Float64Array(count)
  const warmup = 500
  await new Promise((resolve) => {
    let i = -warmup
    let got = 0
    let started = 0
    socket.on('data', (data) => {
      got += data.length
      if (got < 64) return
      got -= 64
      if (i >= 0) times[i] = performance.now() - started
      if (++i === count) return resolve()
      started = performance.now()
      socket.write(message)
    })
    started = performance.now()
    socket.write(message)
  })
  socket.destroy()
  times.sort()
  return {p50: quantile(times, 0.5), p99: quantile(times, 0.99)}
}

/** Writes `total` bytes as fast as the socket takes them; MB/s until the sink has seen them all. */
async function bulk(port, total, sinkState) {
  const done = new Promise((resolve) => Object.assign(sinkState, {target: total, done: resolve}))
  const socket = await open(port)
  const block = Buffer.alloc(1 << 20, 0x5a)
  const started = performance.now()
  let sent = 0
  await new Promise((resolve) => {
    const pump = () => {
      while (sent < total) {
        sent += block.length
        if (!socket.write(block)) return void socket.once('drain', pump)
      }
      resolve()
    }
    pump()
  })
  await done
  const seconds = (performance.now() - started) / 1000
  socket.destroy()
  return total / 1e6 / seconds
}

/** Round trips through a proxy with 100 ms downstream latency: 4 connections × 30 (after 5 unmeasured), staggered. */
async function latencyToxic(port) {
  const errors = []
  const one = async (offset) => {
    await new Promise((resolve) => setTimeout(resolve, offset))
    const socket = await open(port)
    for (let i = -5; i < 30; i++) {
      const started = performance.now()
      await new Promise((resolve) => {
        socket.once('data', resolve)
        socket.write(Buffer.alloc(64, 1))
      })
      if (i >= 0) errors.push(performance.now() - started - 100) // the first five warm up
    }
    socket.destroy()
  }
  await Promise.all([0, 25, 50, 75].map(one))
  return errors
}

async function idleConnections(proxy, port, count) {
  const before = (await proxy.request('rss')).rss
  const sockets = []
  for (let i = 0; i < count; i += 100) sockets.push(...(await Promise.all(Array.from({length: Math.min(100, count - i)}, () => open(port)))))
  await new Promise((resolve) => setTimeout(resolve, 500))
  const {rss, connections} = await proxy.request('rss')
  for (const socket of sockets) socket.destroy()
  return {before, rss, connections}
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

function median(values) {
  return quantile([...values].sort((a, b) => a - b), 0.5)
}

function spread(values, format) {
  const sorted = [...values].sort((a, b) => a - b)
  return `${format(sorted[0])}–${format(sorted.at(-1))}`
}

function us(ms) {
  return `${(ms * 1000).toFixed(0)} µs`
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(0)} MB`
}
