/**
 * The acknowledgement rules under replication faults. Records flow upstream on a `repl-<from>-<to>` proxy
 * (the sender is the proxy's client) and acks flow downstream, so a replication pause is a `timeout`
 * toxic on the upstream stream.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {addToxic, disable, get, keys, median, nodeState, put, routerState, sandbox, stopAll, until, writeMany} from './helpers.js'

afterEach(stopAll)

const pause = {attributes: {timeout: 0}, stream: 'upstream', type: 'timeout'} as const

async function failOver(box: Awaited<ReturnType<typeof sandbox>>): Promise<void> {
  await disable(box, 'client-us-east')
  await until(async () => (await routerState(box)).active === 'eu-west', 'the router to fail over', 3000)
}

describe('replication', () => {
  it('async: a failover loses exactly the writes acknowledged while replication was paused', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'async'})
    const safe = keys('safe', 15)
    await writeMany(box.routerUrl, safe)
    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to catch up')

    await addToxic(box, 'repl-us-east-eu-west', pause)
    const paused = keys('paused', 15)
    for (const answer of await writeMany(box.routerUrl, paused)) expect(answer).toMatchObject({region: 'us-east', status: 200})
    expect((await nodeState(box, 'us-east')).lag).toBe(15)

    await failOver(box)
    const lost: string[] = []
    for (const key of [...safe, ...paused]) {
      const answer = await get(box.routerUrl, key)
      expect(answer.region).toBe('eu-west')
      if (answer.status === 404) lost.push(key)
      else expect(answer.body).toMatchObject({key, value: `value-of-${key}`})
    }
    expect(lost).toEqual(paused)
  })

  it('sync: a failover loses no acknowledged write', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'sync'})
    const acked = (await writeMany(box.routerUrl, keys('w', 30))).filter((answer) => answer.status === 200).map((answer) => answer.body.key as string)
    expect(acked).toHaveLength(30)
    await failOver(box)
    for (const key of acked) expect(await get(box.routerUrl, key)).toMatchObject({body: {value: `value-of-${key}`}, region: 'eu-west', status: 200})
  })

  it('sync: when the primary region is blackholed entirely, the new primary stops waiting for it and loses nothing', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'sync'})
    const acked = (await writeMany(box.routerUrl, keys('w', 10))).map((answer) => answer.body.key as string)
    for (const link of ['client-us-east', 'repl-us-east-eu-west', 'repl-eu-west-us-east']) await addToxic(box, link, pause)
    await until(async () => (await routerState(box)).active === 'eu-west', 'the router to fail over', 3000)
    expect((await nodeState(box, 'eu-west')).syncReplicas).toEqual([])
    for (const key of keys('after', 5)) expect(await put(box.routerUrl, key, key)).toMatchObject({region: 'eu-west', status: 200})
    for (const key of acked) expect((await get(box.routerUrl, key)).status).toBe(200)
  })

  it('sync: a 50 ms latency on the replication link adds about 50 ms to every write', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'sync'})
    await writeMany(box.routerUrl, keys('warm', 5))
    const base = median((await writeMany(box.routerUrl, keys('base', 15))).map((answer) => answer.ms))
    await addToxic(box, 'repl-us-east-eu-west', {attributes: {jitter: 0, latency: 50}, stream: 'upstream', type: 'latency'})
    const slowed = await writeMany(box.routerUrl, keys('slow', 15))
    expect(slowed.every((answer) => answer.status === 200)).toBe(true)
    // No acknowledged write can beat the replication round trip; the median shows the cost per write.
    expect(Math.min(...slowed.map((answer) => answer.ms))).toBeGreaterThanOrEqual(50)
    const added = median(slowed.map((answer) => answer.ms)) - base
    expect(added).toBeGreaterThan(40)
    expect(added).toBeLessThan(100)
  })

  it('async: the same latency does not slow writes down, only replication', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'async'})
    await addToxic(box, 'repl-us-east-eu-west', {attributes: {jitter: 0, latency: 50}, stream: 'upstream', type: 'latency'})
    const writes = await writeMany(box.routerUrl, keys('w', 10))
    expect(median(writes.map((answer) => answer.ms))).toBeLessThan(25)
    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to catch up')
  })

  it('sync: with the replica unreachable, writes fail with 503 instead of being acknowledged', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'sync', syncTimeoutMs: 300})
    await addToxic(box, 'repl-us-east-eu-west', pause)
    const answer = await put(box.routerUrl, 'blocked', 'x')
    expect(answer).toMatchObject({body: {waitingFor: ['eu-west']}, region: 'us-east', status: 503})
    expect(answer.ms).toBeGreaterThanOrEqual(290)
  })
})
