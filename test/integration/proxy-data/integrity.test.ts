import {createHash, randomBytes} from 'node:crypto'
import {afterEach, expect, it} from 'vitest'
import {cleanup, connectClient, startProxy, startSilent, until} from './helpers.js'

afterEach(cleanup)

const GiB = 1 << 30
const BLOCK = 1 << 20

it('carries 1 GiB with no toxics byte-identical (sha256 at both ends)', {timeout: 180_000}, async () => {
  const upstream = await startSilent()
  const {proxy, port} = await startProxy(upstream.port)
  const client = await connectClient(port)
  await until(() => upstream.sockets.length === 1)
  const server = upstream.sockets[0]!

  const receivedHash = createHash('sha256')
  let received = 0
  const allReceived = new Promise<void>((resolve) => {
    server.on('data', (data: Buffer) => {
      receivedHash.update(data)
      received += data.length
      if (received >= GiB) resolve()
    })
  })

  // Every block differs (a counter stamped through it), so a lost, repeated or reordered block changes the hash.
  const base = randomBytes(BLOCK)
  const sentHash = createHash('sha256')
  for (let i = 0; i < GiB / BLOCK; i++) {
    const block = Buffer.allocUnsafe(BLOCK)
    base.copy(block)
    for (let at = (i * 4099) % 4096; at + 4 <= BLOCK; at += 65_536) block.writeUInt32LE(i, at)
    sentHash.update(block)
    if (!client.socket.write(block)) await new Promise((resolve) => client.socket.once('drain', resolve))
  }
  await allReceived
  expect(received).toBe(GiB)
  expect(receivedHash.digest('hex')).toBe(sentHash.digest('hex'))
  client.socket.end()
  await client.closed
  await until(() => proxy.stats().connections === 0)
  expect(proxy.stats().receivedBytes.upstream).toBe(GiB)
  expect(proxy.stats().sentBytes.upstream).toBe(GiB)
})
