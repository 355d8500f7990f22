/**
 * A region outage on the client link (the `client-us-east` proxy disabled through toxiproxy-node-client, as
 * the driver's `reject` mode does): the router's health checks fail through the same proxy, and what
 * happens next depends on the pattern.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {homeRegion} from '../../../src/sandbox/index.js'
import {addToxic, disable, enable, get, keys, nodeState, put, routerState, sandbox, stopAll, until, writeMany} from './helpers.js'

afterEach(stopAll)

describe('a region outage', () => {
  it('active-passive: the router promotes eu-west, writes continue, and there is no failback', async () => {
    const box = await sandbox({pattern: 'active-passive'})
    const before = keys('before', 10)
    await writeMany(box.routerUrl, before)
    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to catch up')

    const cut = Date.now()
    await disable(box, 'client-us-east')
    await until(async () => (await routerState(box)).active === 'eu-west', 'the router to fail over', 3000)
    const failoverMs = Date.now() - cut
    // 3 failed checks at 100 ms, plus the promotion: well under a second on loopback.
    expect(failoverMs).toBeLessThan(1500)

    const state = await routerState(box)
    expect(state.events.map((event) => event.type)).toEqual(['region-down', 'failover'])
    expect(state.events[1]).toMatchObject({epoch: 2, from: 'us-east', to: 'eu-west'})
    expect(await nodeState(box, 'eu-west')).toMatchObject({epoch: 2, role: 'primary'})

    for (const key of keys('after', 5)) expect(await put(box.routerUrl, key, key)).toMatchObject({region: 'eu-west', status: 200})
    for (const key of before) expect(await get(box.routerUrl, key)).toMatchObject({body: {value: `value-of-${key}`}, region: 'eu-west', status: 200})
    // The deposed primary hears the new epoch over replication and steps down.
    await until(async () => (await nodeState(box, 'us-east')).role === 'replica', 'us-east to step down')

    await enable(box, 'client-us-east')
    await until(async () => (await routerState(box)).regions[0]!.healthy, 'us-east to be healthy again')
    expect((await routerState(box)).active).toBe('eu-west')
    expect((await put(box.routerUrl, 'later', 'x')).region).toBe('eu-west')
    // Replication now runs eu-west → us-east.
    await until(async () => (await get(box.regions[0]!.apiUrl, 'later')).status === 200, 'the new primary to replicate to us-east')
  })

  it('active-passive: a deposed primary that was cut off steps down when it hears the new epoch; its writes never reach the new primary', async () => {
    const box = await sandbox({pattern: 'active-passive'})
    await put(box.routerUrl, 'shared', 'before')
    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'replication to catch up')
    const blackhole = {attributes: {timeout: 0}, stream: 'upstream', type: 'timeout'} as const
    const heal = [
      await addToxic(box, 'client-us-east', {...blackhole, stream: 'downstream'}),
      await addToxic(box, 'repl-us-east-eu-west', blackhole),
      await addToxic(box, 'repl-eu-west-us-east', blackhole),
    ]
    await until(async () => (await routerState(box)).active === 'eu-west', 'the router to fail over', 3000)
    // A client that bypasses the router still reaches the old primary, which does not know yet.
    expect(await put(box.regions[0]!.apiUrl, 'shared', 'split-brain')).toMatchObject({status: 200})
    expect(await put(box.routerUrl, 'shared', 'after')).toMatchObject({region: 'eu-west', status: 200})

    for (const remove of heal) await remove()
    await until(async () => (await nodeState(box, 'us-east')).role === 'replica', 'us-east to step down', 3000)
    const east = await nodeState(box, 'us-east')
    expect(east).toMatchObject({epoch: 2, events: [{epoch: 2, type: 'demoted'}]})
    expect(east.links[0]!.abandoned).toBe(1)
    expect(await get(box.routerUrl, 'shared')).toMatchObject({body: {value: 'after'}, region: 'eu-west'})
    expect(await put(box.regions[0]!.apiUrl, 'shared', 'again')).toMatchObject({status: 421})
  })

  it('active-active: the router moves traffic to eu-west and back when us-east recovers', async () => {
    const box = await sandbox({pattern: 'active-active'})
    expect((await put(box.routerUrl, 'a', '1')).region).toBe('us-east')
    await disable(box, 'client-us-east')
    await until(async () => (await routerState(box)).active === 'eu-west', 'the router to move traffic', 3000)
    expect(await put(box.routerUrl, 'b', '2')).toMatchObject({region: 'eu-west', status: 200})
    expect(await get(box.routerUrl, 'a')).toMatchObject({body: {value: '1'}, region: 'eu-west', status: 200})
    await enable(box, 'client-us-east')
    await until(async () => (await routerState(box)).active === 'us-east', 'traffic to return to us-east', 3000)
    expect(await get(box.routerUrl, 'b')).toMatchObject({body: {value: '2'}, region: 'us-east', status: 200})
  })

  it('sharded: keys homed in us-east are unavailable while the others still work', async () => {
    const box = await sandbox({pattern: 'sharded'})
    const names = box.topology.regions
    const all = keys('k', 20)
    const east = all.filter((key) => homeRegion(key, names) === 'us-east')
    const west = all.filter((key) => homeRegion(key, names) === 'eu-west')
    expect(east.length).toBeGreaterThan(0)
    expect(west.length).toBeGreaterThan(0)
    await writeMany(box.routerUrl, all)

    await disable(box, 'client-us-east')
    await until(async () => !(await routerState(box)).regions[0]!.healthy, 'us-east to be marked down', 3000)
    for (const key of east) {
      const answer = await get(box.routerUrl, key)
      expect(answer).toMatchObject({body: {region: 'us-east'}, status: 503})
      expect(answer.region).toBeNull()
      expect((await put(box.routerUrl, key, 'new')).status).toBe(503)
    }
    for (const key of west) expect(await get(box.routerUrl, key)).toMatchObject({region: 'eu-west', status: 200})
    expect((await routerState(box)).events.map((event) => event.type)).toEqual(['region-down'])
  })
})
