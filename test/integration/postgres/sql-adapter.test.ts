/**
 * The SQL ledger adapter against a real PostgreSQL server (one, in a temporary folder on a free loopback
 * port), directly and through rift's fault proxy: the table appears on first write, reads tell absent from
 * present and count copies, and a write stuck in a blackholed link is dropped with its connection when the
 * writer gives up, so the adapter recovers as soon as the link does.
 */
import {chmod, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import {findPgBin, handOver, serverUser} from '../../../src/postgres/binaries.js'
import {connectionUrl, initPrimary, query, startServer, stopServer, type Programs, type ServerSpec} from '../../../src/postgres/cluster.js'
import {startProxyServer, type ProxyServer} from '../../../src/proxy/server.js'
import {createSqlLedgerAdapter, quoteTable} from '../../../src/workloads/ledger/sql-adapter.js'
import {freePorts} from './harness.js'

const PG_BIN = findPgBin()

describe.skipIf(PG_BIN === undefined)('SQL ledger adapter on PostgreSQL', () => {
  let dir: string
  let programs: Programs
  let server: ServerSpec
  let proxy: ProxyServer
  let started = false

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rift-pg-adapter-'))
    await chmod(dir, 0o711)
    programs = {bin: PG_BIN!, user: await serverUser()}
    await handOver(dir, programs.user)
    const [port] = await freePorts(1)
    server = {dataDir: path.join(dir, 'data'), host: '127.0.0.1', port: port!}
    await initPrimary(programs, server, 'async', 'none')
    await startServer(programs, server, path.join(dir, 'server.log'))
    started = true
    proxy = await startProxyServer({port: 0})
  }, 120_000)

  afterAll(async () => {
    await proxy?.close()
    if (started) await stopServer(programs, server)
    if (dir) await rm(dir, {force: true, recursive: true})
  }, 120_000)

  test('creates its table, writes, reads back and counts copies', async () => {
    const adapter = createSqlLedgerAdapter({table: 'public.ledger_a', url: connectionUrl(server.host, server.port)})
    try {
      const signal = AbortSignal.timeout(10_000)
      await expect(adapter.read('k-1', signal)).rejects.toThrow(/does not exist/)
      await Promise.all(['k-1', 'k-2', 'k-3'].map((key) => adapter.write(key, `value of ${key}`, signal)))
      expect(await adapter.read('k-2', signal)).toEqual({copies: 1, found: true, value: 'value of k-2'})
      expect(await adapter.read('k-9', signal)).toEqual({found: false})
      // A replayed insert is a second row, which the checker calls duplicated.
      await query(connectionUrl(server.host, server.port), "INSERT INTO public.ledger_a (key, value) VALUES ('k-3', 'value of k-3')")
      expect(await adapter.read('k-3', signal)).toEqual({copies: 2, found: true, value: 'value of k-3'})
    } finally {
      await adapter.close()
    }
  })

  test('an abandoned write through a blackholed link takes its connection with it; writes resume when the link does', {timeout: 60_000}, async () => {
    const api = proxy.url
    const post = async (route: string, body: unknown): Promise<void> => {
      const res = await fetch(`${api}${route}`, {body: JSON.stringify(body), method: 'POST'})
      expect(res.status, await res.text()).toBeLessThan(300)
    }
    await post('/proxies', {listen: '127.0.0.1:0', name: 'db', upstream: `${server.host}:${server.port}`})
    const listen = ((await (await fetch(`${api}/proxies/db`)).json()) as {listen: string}).listen
    const adapter = createSqlLedgerAdapter({connectTimeoutMs: 1000, maxConnections: 2, table: 'ledger_b', url: `postgres://postgres@${listen}/postgres`})
    try {
      await adapter.write('before', 'v', AbortSignal.timeout(10_000))
      await post('/proxies/db/toxics', {attributes: {timeout: 0}, name: 'hole', stream: 'upstream', type: 'timeout'})
      // More abandoned writes than connections: none may hold a slot once its writer gave up.
      const stuck = await Promise.allSettled(['s-1', 's-2', 's-3', 's-4'].map((key) => adapter.write(key, 'v', AbortSignal.timeout(400))))
      expect(stuck.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
      const res = await fetch(`${api}/proxies/db/toxics/hole`, {method: 'DELETE'})
      expect(res.status).toBe(204)
      await adapter.write('after', 'v', AbortSignal.timeout(10_000))
      const rows = await query<{key: string}>(connectionUrl(server.host, server.port), 'SELECT key FROM ledger_b ORDER BY key')
      expect(rows.map((row) => row.key)).toEqual(['after', 'before'])
    } finally {
      await adapter.close()
    }
  })

  test('quotes table names and refuses anything else', () => {
    expect(quoteTable('rift_ledger')).toBe('"rift_ledger"')
    expect(quoteTable('app.rift_ledger')).toBe('"app"."rift_ledger"')
    expect(() => quoteTable('x; DROP TABLE y')).toThrow(/expected a table name/)
    expect(() => createSqlLedgerAdapter({url: 'mysql://h/db'})).toThrow(/postgres:\/\//)
  })
})
