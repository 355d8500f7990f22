/** Latency, partitions and corruption on the sandbox's links, through the real proxy. */
import {afterEach, describe, expect, it} from 'vitest'

import {isIntactRecord} from '../../../src/sandbox/index.js'
import {addToxic, apiUrl, get, keys, median, nodeState, put, routerState, sandbox, stopAll, until, writeMany} from './helpers.js'

afterEach(stopAll)

describe('faults on the sandbox links', () => {
  it('a latency toxic on a client link shows up in the round trip, and the region stays healthy', async () => {
    const box = await sandbox({pattern: 'active-passive'})
    await put(box.routerUrl, 'k', 'v')
    const read = async (): Promise<number> => {
      const times: number[] = []
      for (let index = 0; index < 9; index += 1) times.push((await get(box.routerUrl, 'k')).ms)
      return median(times)
    }
    await read()
    const base = await read()
    await addToxic(box, 'client-us-east', {attributes: {jitter: 0, latency: 80}, stream: 'downstream', type: 'latency'})
    const slowed = await read()
    // The response cannot beat the toxic; the rest of the bounds leave room for a busy machine.
    expect(slowed).toBeGreaterThanOrEqual(80)
    expect(slowed - base).toBeGreaterThan(60)
    expect(slowed - base).toBeLessThan(140)
    expect((await routerState(box)).events).toEqual([])
  })

  it('active-active: a partition of one replication direction blocks that direction only', async () => {
    const box = await sandbox({pattern: 'active-active'})
    const removePartition = await addToxic(box, 'repl-us-east-eu-west', {attributes: {timeout: 0}, stream: 'upstream', type: 'timeout'})
    expect(await put(box.regions[0]!.clientUrl, 'from-east', 'e')).toMatchObject({region: 'us-east', status: 200})
    expect(await put(box.regions[1]!.clientUrl, 'from-west', 'w')).toMatchObject({region: 'eu-west', status: 200})

    await until(async () => (await get(apiUrl(box, 'us-east'), 'from-west')).status === 200, 'eu-west → us-east to replicate')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await get(apiUrl(box, 'eu-west'), 'from-east')).status).toBe(404)
    expect((await nodeState(box, 'us-east')).lag).toBe(1)
    expect((await nodeState(box, 'eu-west')).lag).toBe(0)

    await removePartition()
    await until(async () => (await get(apiUrl(box, 'eu-west'), 'from-east')).status === 200, 'us-east → eu-west to resume after the partition')
  })

  it('a corrupt toxic on a replication link is caught by the checksums and never served', async () => {
    const box = await sandbox({pattern: 'active-passive'})
    const removeCorruption = await addToxic(box, 'repl-us-east-eu-west', {attributes: {rate: 0.01}, stream: 'upstream', type: 'corrupt'})
    const all = keys('c', 40)
    await writeMany(box.routerUrl, all)
    await until(async () => (await nodeState(box, 'eu-west')).corruptRecordsRejected > 0, 'the replica to reject a corrupt frame')

    const check = async (): Promise<number> => {
      let present = 0
      for (const key of all) {
        const answer = await get(apiUrl(box, 'eu-west'), key)
        if (answer.status === 404) continue
        expect(answer.status).toBe(200)
        expect(isIntactRecord(answer.body)).toBe(true)
        expect(answer.body).toMatchObject({key, value: `value-of-${key}`})
        present += 1
      }
      return present
    }
    await check()
    await removeCorruption()
    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to deliver every record once the corruption stops', 10_000)
    expect(await check()).toBe(all.length)
  })
})
