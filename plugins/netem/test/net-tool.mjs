// Run inside a lab namespace (ip netns exec <ns> node net-tool.mjs …) to measure what the faults do to real
// packets. Every mode is bounded in count and time and prints one JSON line.
//   udp-echo <host> <port>                          echo datagrams back until killed
//   udp-probe <host> <port> <count> <gapMs>         send count datagrams, report replies and round trips
//   udp-sink <host> <port> <ms>                     count datagrams received for ms
//   udp-send <host> <port> <count> <gapMs>          send count datagrams, no replies expected
//   tcp-serve <host> <port> <bytes>                 accept connections; send `bytes` bytes to each, then close
//   tcp-fetch <host> <port> <timeoutMs>             connect, read to the end: connect time and total time
import dgram from 'node:dgram'
import net from 'node:net'

const [mode, host, portText, a, b] = process.argv.slice(2)
const port = Number(portText)
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n')

if (mode === 'udp-echo') {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (message, remote) => socket.send(message, remote.port, remote.address))
  socket.bind(port, host, () => print({listening: true}))
} else if (mode === 'udp-probe' || mode === 'udp-send') {
  const count = Number(a)
  const gap = Number(b)
  const socket = dgram.createSocket('udp4')
  const sentAt = new Map()
  const rtts = []
  socket.on('message', (message) => {
    const started = sentAt.get(message.toString())
    if (started !== undefined) rtts.push(performance.now() - started)
  })
  socket.bind(0, () => {
    let sent = 0
    const tick = () => {
      if (sent >= count) {
        setTimeout(() => {
          print({received: rtts.length, rtts: rtts.map((rtt) => Math.round(rtt * 10) / 10), sent})
          socket.close()
        }, mode === 'udp-probe' ? 1500 : 50)
        return
      }
      const id = String(sent++)
      sentAt.set(id, performance.now())
      socket.send(id, port, host)
      setTimeout(tick, gap)
    }
    tick()
  })
} else if (mode === 'udp-sink') {
  const socket = dgram.createSocket('udp4')
  let received = 0
  socket.on('message', () => received++)
  socket.bind(port, host, () => {
    print({listening: true})
    setTimeout(() => {
      print({received})
      socket.close()
    }, Number(a))
  })
} else if (mode === 'tcp-serve') {
  const payload = Buffer.alloc(Number(a), 120)
  net.createServer((socket) => socket.end(payload)).listen(port, host, () => print({listening: true}))
} else if (mode === 'tcp-fetch') {
  const started = performance.now()
  let connectMs
  let bytes = 0
  const socket = net.connect({host, port, timeout: Number(a)})
  socket.on('connect', () => (connectMs = performance.now() - started))
  socket.on('data', (chunk) => (bytes += chunk.length))
  socket.on('end', () => print({bytes, connectMs, ok: true, totalMs: performance.now() - started}))
  socket.on('timeout', () => {
    print({bytes, connectMs, error: 'timeout', ok: false})
    socket.destroy()
  })
  socket.on('error', (error) => print({bytes, connectMs, error: error.code, ok: false}))
} else {
  process.stderr.write(`unknown mode ${mode}\n`)
  process.exit(2)
}
