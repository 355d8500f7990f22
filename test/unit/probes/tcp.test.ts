import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tcpProbeSchema} from '../../../src/experiment/schema.js'
import {parseAddress, runTcpProbe} from '../../../src/probes/tcp.js'
import {refusedPort, type Running, startTcpServer} from './servers.js'

let server: Running
beforeAll(async () => {
  server = await startTcpServer()
})
afterAll(async () => server.close())

const never = new AbortController().signal
const spec = (tcp: Record<string, unknown>) => tcpProbeSchema.parse({tcp}).tcp

describe('tcp probe', () => {
  it('sees an open port', async () => {
    const outcome = await runTcpProbe(spec({address: `127.0.0.1:${server.port}`}), never)
    expect(outcome).toMatchObject({ok: true, value: 'open'})
    expect(outcome.detail).toMatch(/open in \d+ms$/)
  })

  it('sees a refused port, which passes only when refused is expected', async () => {
    const address = `127.0.0.1:${await refusedPort()}`
    expect(await runTcpProbe(spec({address, expect: 'refused'}), never)).toMatchObject({ok: true, value: 'refused'})
    const outcome = await runTcpProbe(spec({address}), never)
    expect(outcome).toMatchObject({ok: false, value: 'refused'})
    expect(outcome.detail).toContain('refused (ECONNREFUSED)')
    expect(outcome.detail).toContain('expected open')
  })

  it('fails expect refused on an open port', async () => {
    expect(await runTcpProbe(spec({address: `127.0.0.1:${server.port}`, expect: 'refused'}), never)).toMatchObject({ok: false, value: 'open'})
  })

  it('rejects when the caller has aborted', async () => {
    await expect(runTcpProbe(spec({address: `127.0.0.1:${server.port}`}), AbortSignal.abort())).rejects.toMatchObject({name: 'AbortError'})
  })

  it('parses host:port, [ipv6]:port and :port', () => {
    expect(parseAddress('127.0.0.1:7001')).toEqual({host: '127.0.0.1', port: 7001})
    expect(parseAddress('[::1]:7001')).toEqual({host: '::1', port: 7001})
    expect(parseAddress(':7001')).toEqual({host: 'localhost', port: 7001})
  })
})
