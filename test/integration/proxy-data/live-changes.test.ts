import {createHash} from 'node:crypto'
import {afterEach, expect, it} from 'vitest'
import type {ProxyCore} from '../../../src/proxy/types.js'
import {cleanup, connectClient, sleep, startEcho, startProxy, toxic} from './helpers.js'

afterEach(cleanup)

const TOTAL = 48 << 20

/** Adds, updates and removes pass-through toxics on both directions until `done()`; counts changes made. */
async function churn(proxy: ProxyCore, done: () => boolean): Promise<number> {
  let changes = 0
  const steps: Array<() => void | Promise<void>> = [
    () => proxy.addToxic(toxic('latency', {latency: 3, jitter: 2}, {name: 'lat-up', direction: 'upstream'})),
    () => proxy.addToxic(toxic('bandwidth', {rate: 20_000}, {name: 'bw-down'})),
    () => proxy.addToxic(toxic('latency', {latency: 5, jitter: 0}, {name: 'lat-down'})),
    () => proxy.updateToxic(toxic('bandwidth', {rate: 10_000}, {name: 'bw-down'})),
    () => proxy.addToxic(toxic('slicer', {average_size: 8192, size_variation: 1024, delay: 0}, {name: 'slice-up', direction: 'upstream'})),
    () => proxy.removeToxic('lat-up'),
    () => proxy.updateToxic(toxic('latency', {latency: 1, jitter: 1}, {name: 'lat-down', toxicity: 0.5})),
    () => proxy.addToxic(toxic('bandwidth', {rate: 15_000}, {name: 'bw-up', direction: 'upstream'})),
    () => proxy.removeToxic('bw-down'),
    () => proxy.addToxic(toxic('noop', {}, {name: 'noop-down'})),
    () => proxy.removeToxic('slice-up'),
    () => proxy.removeToxic('lat-down'),
    () => proxy.removeToxic('bw-up'),
    () => proxy.removeToxic('noop-down'),
  ]
  while (!done()) {
    for (const step of steps) {
      await step()
      if (!done()) changes++
      await sleep(1 + Math.floor(Math.random() * 15))
    }
  }
  return changes
}

it('loses and duplicates no bytes while latency and bandwidth toxics come and go', {timeout: 60_000}, async () => {
  const echo = await startEcho()
  const {proxy, port} = await startProxy(echo.port)
  const client = await connectClient(port)

  const received = createHash('sha256')
  let receivedBytes = 0
  let finished = false
  const allBack = new Promise<void>((resolve) => {
    client.socket.on('data', (data: Buffer) => {
      received.update(data)
      receivedBytes += data.length
      if (receivedBytes >= TOTAL) resolve()
    })
  })
  const churning = churn(proxy, () => finished)

  const sent = createHash('sha256')
  for (let i = 0; i < TOTAL / 65_536; i++) {
    const block = Buffer.alloc(65_536, i & 0xff)
    block.writeUInt32LE(i, 0)
    block.writeUInt32LE(i, 40_000)
    sent.update(block)
    if (!client.socket.write(block)) await new Promise((resolve) => client.socket.once('drain', resolve))
  }
  await allBack
  finished = true
  const changes = await churning
  expect(changes).toBeGreaterThanOrEqual(20) // changes made while bytes were in flight
  expect(receivedBytes).toBe(TOTAL)
  expect(received.digest('hex')).toBe(sent.digest('hex'))
  expect(proxy.toxics()).toEqual([])
})
