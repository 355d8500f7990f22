import {describe, expect, it} from 'vitest'

import {parseRequestTemplate, valueFromBody, type LedgerAdapter} from '../../../src/workloads/ledger/adapter.js'
import {decodePayload} from '../../../src/workloads/ledger/payload.js'
import {parseRate, startLedgerWriter} from '../../../src/workloads/ledger/writer.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('parseRate', () => {
  it('reads rates as experiment files write them', () => {
    expect(parseRate('50/s')).toBe(50)
    expect(parseRate('600/m')).toBe(10)
    expect(parseRate(2.5)).toBe(2.5)
    for (const bad of ['50', '0/s', 'fast', -1, 0]) expect(() => parseRate(bad)).toThrow(/positive rate like 50\/s/)
  })
})

describe('request templates', () => {
  it('parses a method and a URL with {key}', () => {
    expect(parseRequestTemplate('put http://127.0.0.1:8080/kv/{key}')).toEqual({method: 'PUT', url: 'http://127.0.0.1:8080/kv/{key}'})
  })
  it('names the field and the problem', () => {
    expect(() => parseRequestTemplate('http://127.0.0.1/kv/{key}', 'write')).toThrow(/^write: expected a method and a URL/)
    expect(() => parseRequestTemplate('GET http://127.0.0.1/kv', 'read')).toThrow(/^read: the URL must contain \{key\}/)
    expect(() => parseRequestTemplate('GET ftp://127.0.0.1/{key}')).toThrow(/http or https/)
  })
  it('takes a JSON body`s value field, otherwise the body itself', () => {
    expect(valueFromBody('{"key":"k","value":"v","version":1}')).toBe('v')
    expect(valueFromBody('{"value":3}')).toBe('{"value":3}')
    expect(valueFromBody('{not json')).toBe('{not json')
    expect(valueFromBody('plain')).toBe('plain')
  })
})

describe('startLedgerWriter', () => {
  it('writes unique, checksummed keys on a drift-free schedule and records each outcome', async () => {
    const seen: {key: string; value: string; at: number}[] = []
    const adapter: LedgerAdapter = {
      async read() {
        return {found: false}
      },
      async write(key, value) {
        seen.push({at: performance.now(), key, value})
        await sleep(15) // longer than the interval: the schedule must not wait for answers
        if (key.endsWith('-3')) throw new Error('HTTP 503')
      },
    }
    const start = performance.now()
    const writer = startLedgerWriter({adapter, maxWrites: 20, rate: '100/s', runId: 'r1'})
    expect(writer.intervalMs).toBe(10)
    await sleep(260)
    const attempts = await writer.stop()
    expect(attempts.map((a) => a.key)).toEqual(Array.from({length: 20}, (_, seq) => `r1-${seq}`))
    expect(new Set(attempts.map((a) => a.value)).size).toBe(20)
    for (const a of attempts) {
      expect(decodePayload(a.value)).toMatchObject({key: a.key, seq: a.seq})
      expect(a.endedAtMs).toBeGreaterThanOrEqual(a.startedAtMs + 14)
    }
    expect(attempts[3]).toMatchObject({error: 'HTTP 503', outcome: 'failed'})
    expect(attempts.filter((a) => a.outcome === 'acked')).toHaveLength(19)
    // Write k goes out at start + 10k ms, not later and later: no accumulated drift.
    const last = seen.at(-1)!.at - start
    expect(last).toBeGreaterThanOrEqual(185)
    expect(last).toBeLessThan(240)
    expect(writer.dropped).toBe(0)
  })

  it('bounds concurrency by dropping ticks, and times out writes that never answer', async () => {
    let inFlight = 0
    let peak = 0
    const adapter: LedgerAdapter = {
      async read() {
        return {found: false}
      },
      write() {
        inFlight++
        peak = Math.max(peak, inFlight)
        // Ignores the signal on purpose: the writer must still give up on it.
        return new Promise<void>(() => {})
      },
    }
    const writer = startLedgerWriter({adapter, concurrency: 3, rate: '200/s', runId: 'r2', timeoutMs: 100})
    await sleep(60)
    const attempts = await writer.stop()
    expect(peak).toBe(3)
    expect(attempts).toHaveLength(3)
    for (const a of attempts) expect(a).toMatchObject({error: 'not acknowledged within 100 ms', outcome: 'timeout'})
    expect(writer.dropped).toBeGreaterThan(5)
  })

  it('stops scheduling when its signal aborts', async () => {
    const controller = new AbortController()
    const adapter: LedgerAdapter = {async read() {
      return {found: false}
    }, async write() {}}
    const writer = startLedgerWriter({adapter, rate: '100/s', runId: 'r3', signal: controller.signal})
    await sleep(35)
    controller.abort()
    const issued = writer.issued
    await sleep(40)
    expect(writer.issued).toBe(issued)
    expect(await writer.stop()).toHaveLength(issued)
  })
})
