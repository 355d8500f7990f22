/**
 * The dead-man switch, end to end: `rift proxy` runs as its own process, as a real Toxiproxy would; a
 * `rift run` holding an outage through it is killed with SIGKILL; within the lease time the proxy has
 * reverted every toxic, and nobody ran `rift rollback`.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {rift, start, until, workspace} from './cli.js'

let upstream: Server
let proxy: ReturnType<typeof start>
let proxyUrl = ''

beforeAll(async () => {
  upstream = createServer((_, response) => response.end('ok'))
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  proxy = start(['proxy', '--port', '0', '--json'], await workspace())
  await until(() => proxy.output().stdout.includes('"url"'), 'rift proxy to listen')
  proxyUrl = (JSON.parse(proxy.output().stdout.trim().split('\n')[0]!) as {url: string}).url
})
afterAll(async () => {
  proxy.child.kill('SIGINT')
  await proxy.done
  await new Promise((resolve) => upstream.close(resolve))
})

async function toxicsOnProxies(): Promise<string[]> {
  const proxies = (await (await fetch(`${proxyUrl}/proxies`)).json()) as Record<string, {toxics: {name: string}[]}>
  return Object.values(proxies).flatMap((p) => p.toxics.map((t) => t.name))
}

it('after kill -9 of the runner, the proxy reverts every toxic within the lease time', async () => {
  const cwd = await workspace()
  const port = (upstream.address() as AddressInfo).port
  await writeFile(
    path.join(cwd, 'outage.yaml'),
    `version: rift/v1
title: us-east blackholed through a separate rift proxy
topology:
  regions: [us-east, eu-west]
  links:
    - {name: client-us-east, from: clients, to: us-east, listen: "127.0.0.1:0", upstream: "127.0.0.1:${port}", protocol: http}
driver:
  toxiproxy: {url: "${proxyUrl}", server: rift, leaseTtl: 1s}
method:
  - fault: region-outage
    region: us-east
    mode: blackhole
    duration: 60s
`,
  )
  const run = start(['run', 'outage.yaml'], cwd)
  const ledger = () => {
    const runs = path.join(cwd, '.rift', 'runs')
    const [id] = existsSync(runs) ? readdirSync(runs) : []
    // The run folder appears a moment before its ledger file: poll until both exist.
    const file = id ? path.join(runs, id, 'ledger.jsonl') : ''
    return file && existsSync(file) ? readFileSync(file, 'utf8') : ''
  }
  await until(() => ledger().includes('"type":"injected"'), 'the outage to be injected')
  expect(await toxicsOnProxies()).toHaveLength(2)

  run.child.kill('SIGKILL')
  await run.done
  const killedAt = Date.now()
  await until(async () => (await toxicsOnProxies()).length === 0, 'the lease to expire', 5000)
  const elapsed = Date.now() - killedAt
  expect(elapsed).toBeLessThan(2500) // lease 1 s, renewed every ~333 ms

  // rollback afterwards finds the toxics already gone: not an error.
  const rollback = await rift(['rollback', '--json'], cwd)
  expect(rollback.code).toBe(0)
  expect(JSON.parse(rollback.stdout).runs[0].faults[0].outcome).toBe('already-reverted')
})
