/**
 * Each pattern serves writes and reads through the router, with its own acknowledgement and placement rules,
 * on real sockets: router → client proxy → node, and node → replication proxy → node.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {homeRegion, isIntactRecord} from '../../../src/sandbox/index.js'
import {apiUrl, get, keys, nodeState, put, sandbox, stopAll, until, writeMany} from './helpers.js'

afterEach(stopAll)

describe('sandbox patterns', () => {
  it('active-passive: the primary takes writes and the replica catches up; replicas refuse writes', async () => {
    const box = await sandbox({pattern: 'active-passive'})
    expect(box.regions.map((region) => [region.name, region.role])).toEqual([
      ['us-east', 'primary'],
      ['eu-west', 'replica'],
    ])
    const written = await writeMany(box.routerUrl, keys('ap', 20))
    for (const answer of written) {
      expect(answer.status).toBe(200)
      expect(answer.region).toBe('us-east')
      expect(isIntactRecord(answer.body)).toBe(true)
    }
    const read = await get(box.routerUrl, 'ap-3')
    expect(read).toMatchObject({body: {key: 'ap-3', region: 'us-east', value: 'value-of-ap-3', version: 1}, region: 'us-east', status: 200})
    expect((await get(box.routerUrl, 'never-written')).status).toBe(404)

    await until(async () => (await nodeState(box, 'us-east')).lag === 0, 'the replica to ack everything')
    expect(await nodeState(box, 'eu-west')).toMatchObject({records: 20, replicated: 20, corruptRecordsRejected: 0, role: 'replica'})
    expect((await get(apiUrl(box, 'eu-west'), 'ap-3')).body).toEqual(read.body)
    expect(await put(apiUrl(box, 'eu-west'), 'direct', 'x')).toMatchObject({region: 'eu-west', status: 421})
  })

  it('active-passive sync: a write is acknowledged only once the replica has applied it', async () => {
    const box = await sandbox({pattern: 'active-passive', replication: 'sync'})
    for (const key of keys('sync', 10)) {
      expect((await put(box.routerUrl, key, key)).status).toBe(200)
      // No polling: the ack already means the replica has it.
      expect((await get(apiUrl(box, 'eu-west'), key)).body).toMatchObject({key, value: key})
    }
  })

  it('active-active: every region takes writes and replicates them to every other', async () => {
    const box = await sandbox({pattern: 'active-active', regions: 3})
    expect(box.regions.every((region) => region.role === 'active')).toBe(true)
    expect(box.topology.links.filter((link) => link.kind === 'replication')).toHaveLength(6)
    expect(await put(box.routerUrl, 'via-router', 'r')).toMatchObject({region: 'us-east', status: 200})
    for (const region of box.regions) expect((await put(region.clientUrl, `from-${region.name}`, region.name)).status).toBe(200)
    for (const region of box.regions) {
      await until(async () => (await nodeState(box, region.name)).records === 4, `${region.name} to hold all 4 keys`)
      for (const origin of box.regions) expect((await get(region.apiUrl, `from-${origin.name}`)).body).toMatchObject({region: origin.name, value: origin.name})
    }
  })

  it('active-active: concurrent writes to one key converge on the last writer everywhere', async () => {
    const box = await sandbox({pattern: 'active-active'})
    const [east, west] = await Promise.all([put(box.regions[0]!.clientUrl, 'contested', 'east'), put(box.regions[1]!.clientUrl, 'contested', 'west')])
    const winner = [east.body, west.body].sort((a, b) => (a.writtenAt === b.writtenAt ? (a.region < b.region ? -1 : 1) : a.writtenAt < b.writtenAt ? -1 : 1))[1]
    for (const region of box.regions) {
      await until(async () => (await get(region.apiUrl, 'contested')).body.value === winner.value, `${region.name} to converge on ${winner.value}`)
    }
  })

  it('sharded: each key is written and read only in its home region, and nothing is replicated', async () => {
    const box = await sandbox({pattern: 'sharded', regions: 3})
    const names = box.topology.regions
    expect(box.replication).toBe('none')
    expect(box.topology.links.map((link) => link.kind)).toEqual(['client', 'client', 'client'])
    const all = keys('shard', 30)
    for (const [index, answer] of (await writeMany(box.routerUrl, all)).entries()) {
      expect(answer).toMatchObject({region: homeRegion(all[index]!, names), status: 200})
    }
    for (const key of all) expect((await get(box.routerUrl, key)).region).toBe(homeRegion(key, names))
    const counts = await Promise.all(names.map(async (name) => (await nodeState(box, name)).records))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30)
    expect(counts.every((count) => count > 0)).toBe(true)
    const elsewhere = names.find((name) => name !== homeRegion('shard-0', names))!
    expect(await put(apiUrl(box, elsewhere), 'shard-0', 'x')).toMatchObject({body: {home: homeRegion('shard-0', names)}, status: 421})
  })
})
