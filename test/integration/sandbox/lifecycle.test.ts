/** Starting and stopping: what start-up reports, what stop() leaves behind (nothing), and bad options. */
import {connect} from 'node:net'

import {Toxiproxy} from 'toxiproxy-node-client'
import {afterEach, describe, expect, it} from 'vitest'

import {startProxyServer} from '../../../src/proxy/server.js'
import {startSandbox, type Sandbox} from '../../../src/sandbox/index.js'
import {nodeState, put, sandbox, stopAll} from './helpers.js'

afterEach(stopAll)

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

const portOf = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1))

/** Every port the sandbox listens on: router, proxy API, nodes, proxies, and the proxies' upstreams. */
function ports(box: Sandbox): number[] {
  return [
    portOf(box.routerUrl),
    portOf(box.proxyUrl),
    ...box.regions.map((region) => portOf(region.apiUrl)),
    ...box.topology.links.flatMap((link) => [portOf(link.listen), portOf(link.upstream)]),
  ]
}

describe('sandbox lifecycle', () => {
  it('reports its topology, binds loopback only, and stop() leaves no listening socket (twice over)', async () => {
    const box = await startSandbox({pattern: 'active-active', regions: 3})
    try {
      expect(box.topology.regions).toEqual(['us-east', 'eu-west', 'ap-south'])
      expect(box.topology.links.map((link) => link.name)).toEqual([
        'client-us-east',
        'client-eu-west',
        'client-ap-south',
        'repl-us-east-eu-west',
        'repl-us-east-ap-south',
        'repl-eu-west-us-east',
        'repl-eu-west-ap-south',
        'repl-ap-south-us-east',
        'repl-ap-south-eu-west',
      ])
      expect(box.topology.links[0]).toMatchObject({from: 'clients', kind: 'client', to: 'us-east'})
      expect(box.topology.links[3]).toMatchObject({from: 'us-east', kind: 'replication', to: 'eu-west'})
      const addresses = [box.routerUrl, box.proxyUrl, ...box.regions.flatMap((region) => [region.apiUrl, region.clientUrl]), ...box.topology.links.flatMap((link) => [link.listen, link.upstream])]
      for (const address of addresses) expect(address).toMatch(/^(http:\/\/)?127\.0\.0\.1:\d+$/)
      // Traffic has flowed on every kind of socket before stopping.
      expect((await put(box.routerUrl, 'k', 'v')).status).toBe(200)
    } finally {
      const all = ports(box)
      expect(all.length).toBe(2 + 3 + 9 * 2)
      await box.stop()
      await box.stop()
      for (const port of all) expect(await refused(port), `port ${port} still accepts connections`).toBe(true)
    }
  })

  it('uses an existing Toxiproxy-compatible server, and removes only its own proxies from it on stop', async () => {
    const server = await startProxyServer({port: 0})
    try {
      const client = new Toxiproxy(server.url)
      await client.createProxy({listen: '127.0.0.1:0', name: 'someone-else', upstream: '127.0.0.1:9'})
      // A leftover of a sandbox that was killed: replaced, not an error.
      await client.createProxy({listen: '127.0.0.1:0', name: 'client-us-east', upstream: '127.0.0.1:9'})
      const box = await sandbox({pattern: 'active-passive', proxyUrl: `${server.url}/`})
      expect(box.proxyUrl).toBe(server.url)
      expect(Object.keys(await client.getAll()).sort()).toEqual(['client-eu-west', 'client-us-east', 'repl-eu-west-us-east', 'repl-us-east-eu-west', 'someone-else'])
      expect((await put(box.routerUrl, 'k', 'v')).status).toBe(200)
      await box.stop()
      expect(Object.keys(await client.getAll())).toEqual(['someone-else'])
    } finally {
      await server.close()
    }
  })

  it('refuses bad options with a usage error and starts nothing', async () => {
    await expect(startSandbox({pattern: 'sharded', replication: 'sync'})).rejects.toMatchObject({code: 'RIFT_USAGE'})
    await expect(startSandbox({pattern: 'active-passive', regions: 11})).rejects.toMatchObject({code: 'RIFT_USAGE', message: expect.stringContaining('1 to 10 regions')})
    await expect(startSandbox({pattern: 'mesh' as never})).rejects.toMatchObject({code: 'RIFT_USAGE'})
    await expect(startSandbox({pattern: 'active-active', proxyUrl: 'http://127.0.0.1:1'})).rejects.toMatchObject({code: 'RIFT_DRIVER_UNREACHABLE'})
  })

  it('runs a single region and up to ten', async () => {
    const one = await sandbox({pattern: 'active-passive', regions: 1, replication: 'sync'})
    expect((await put(one.routerUrl, 'k', 'v')).status).toBe(200)
    const ten = await sandbox({healthIntervalMs: 200, pattern: 'active-passive', regions: 10})
    expect(ten.topology.links).toHaveLength(10 + 90)
    expect((await put(ten.routerUrl, 'k', 'v')).status).toBe(200)
    expect((await nodeState(ten, 'us-east')).links).toHaveLength(9)
  })
})
