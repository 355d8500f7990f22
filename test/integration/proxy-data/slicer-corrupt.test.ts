import {afterEach, describe, expect, it} from 'vitest'
import {SlicerToxic} from '../../../src/proxy/toxics/slicer.js'
import {cleanup, TIMING_RETRIES, LATE_MS, connectClient, startProxy, startSilent, toxic, until} from './helpers.js'

afterEach(cleanup)

describe('slicer toxic', {retry: TIMING_RETRIES}, () => {
  it('cuts a chunk into pieces of about average_size and sleeps delay µs after each', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('slicer', {average_size: 100, size_variation: 10, delay: 20_000}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const data = Buffer.from(Array.from({length: 1000}, (_, i) => i % 256))
    const started = performance.now()
    upstream.sockets[0]!.write(data)
    const arrived = await client.waitFor(1000)
    expect(client.received().equals(data)).toBe(true)
    // Toxiproxy: 1000 bytes, average 100, variation 10, delay 20 000 µs → 16 reads in ~309 ms.
    // Pieces 20 ms apart arrive as separate reads unless this machine stalls the test for that long.
    expect(client.reads.length).toBeGreaterThanOrEqual(14)
    expect(client.reads.length).toBeLessThanOrEqual(16)
    expect(client.reads.filter((read) => read.bytes <= 110).length).toBeGreaterThanOrEqual(12)
    expect(arrived - started).toBeGreaterThanOrEqual(300)
    expect(arrived - started).toBeLessThan(300 + LATE_MS)
  })

  it('never loops on a zero average size or variation', () => {
    const pieces = (slicer: SlicerToxic, length: number): number[] => {
      const cuts = slicer.boundaries(length)
      return cuts.filter((_, i) => i % 2 === 1).map((end, i) => end - cuts[2 * i]!)
    }
    expect(pieces(new SlicerToxic(0, 0, 0), 8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1])
    const even = pieces(new SlicerToxic(10, 0, 0), 100)
    expect(even.reduce((a, b) => a + b, 0)).toBe(100)
    expect(Math.max(...even)).toBeLessThanOrEqual(10)
  })
})

describe('corrupt toxic (rift extension)', () => {
  it('flips one bit in a byte with probability `rate`, observed over 1 MiB', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    const rate = 0.01
    proxy.addToxic(toxic('corrupt', {rate}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const data = Buffer.alloc(1 << 20)
    for (let i = 0; i < data.length; i++) data[i] = (i * 131) & 0xff
    upstream.sockets[0]!.write(data)
    await client.waitFor(data.length)
    const received = client.received()
    expect(received.length).toBe(data.length)
    let flipped = 0
    for (let i = 0; i < data.length; i++) {
      const diff = data[i]! ^ received[i]!
      if (diff === 0) continue
      flipped++
      expect(diff & (diff - 1)).toBe(0) // exactly one bit
    }
    // Expected 10 486 ± 102 (one standard deviation): within 5 % is about five deviations.
    expect(Math.abs(flipped / data.length - rate) / rate).toBeLessThan(0.05)
  })

  it('passes data unchanged at rate 0', async () => {
    const upstream = await startSilent()
    const {proxy, port} = await startProxy(upstream.port)
    proxy.addToxic(toxic('corrupt', {rate: 0}))
    const client = await connectClient(port)
    await until(() => upstream.sockets.length === 1)
    const data = Buffer.alloc(100_000, 0xa5)
    upstream.sockets[0]!.write(data)
    await client.waitFor(data.length)
    expect(client.received().equals(data)).toBe(true)
  })
})
