/**
 * The write ledger on PostgreSQL: each write is one autocommit `INSERT` (acknowledged when the commit
 * returns, so `synchronous_commit` decides what an acknowledgement promises), each read a `SELECT` by key
 * that also counts the rows, so a write stored twice shows up as `duplicated`. The table has no unique
 * constraint on purpose: a replayed insert must become a second row the checker can see, not an error.
 *
 * Connections are the adapter's own small pool of `pg` clients, because a fault must not outlive its
 * write: when the writer gives up on a write (its signal aborts), the connection is destroyed at once
 * rather than left hanging in a blackholed socket, and a write still waiting for a connection never
 * reaches the database. New connections go wherever the URL leads at that moment, which is how clients
 * follow a failover that repoints the endpoint they connect through (see docs/postgres.md).
 */
import type {Socket} from 'node:net'

import pg from 'pg'

import {RiftError} from '../../errors.js'
import type {LedgerAdapter, LedgerRead} from './adapter.js'

export interface SqlLedgerAdapterOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string
  /** Table name, optionally schema-qualified (default `rift_ledger`); created if missing. */
  table?: string
  /** Most connections open at once (default 16). */
  maxConnections?: number
  /** A connection attempt that takes longer fails (default 2000 ms). */
  connectTimeoutMs?: number
}

export interface SqlLedgerAdapter extends LedgerAdapter {
  /** Closes every connection; calls in flight fail. */
  close(): Promise<void>
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** `app.rift_ledger` → `"app"."rift_ledger"`; throws RIFT_USAGE for anything that is not plain identifiers. */
export function quoteTable(table: string): string {
  const parts = table.split('.')
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new RiftError('RIFT_USAGE', `ledger sql.table: expected a table name such as rift_ledger or app.rift_ledger, got ${JSON.stringify(table)}`, {suggestions: ['table: rift_ledger']})
  }
  return parts.map((part) => `"${part}"`).join('.')
}

/** The URL without its password, for messages and the journal. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@')
  }
}

interface Waiter {
  resolve(client: pg.Client): void
  reject(error: Error): void
}

export function createSqlLedgerAdapter(options: SqlLedgerAdapterOptions): SqlLedgerAdapter {
  const table = quoteTable(options.table ?? 'rift_ledger')
  if (!/^postgres(ql)?:\/\//.test(options.url)) {
    throw new RiftError('RIFT_USAGE', `ledger sql.url: expected a postgres:// URL, got ${JSON.stringify(redactUrl(options.url))}`, {suggestions: ['url: postgres://postgres@127.0.0.1:5432/postgres']})
  }
  const maxConnections = options.maxConnections ?? 16
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000
  const idle: pg.Client[] = []
  const waiters: Waiter[] = []
  let open = 0
  let closed = false
  let ready: Promise<void> | undefined

  const socket = (client: pg.Client): Socket => (client as unknown as {connection: {stream: Socket}}).connection.stream
  // end() would wait for the server's goodbye, which a blackholed link never delivers.
  const destroy = (client: pg.Client): void => void socket(client).destroy()
  const forget = (client: pg.Client): void => {
    open--
    const index = idle.indexOf(client)
    if (index >= 0) idle.splice(index, 1)
    destroy(client)
    next()
  }
  /** A freed slot goes to the first waiter, as a new connection. */
  const next = (): void => {
    while (waiters.length > 0 && open < maxConnections) {
      const waiter = waiters.shift()!
      connect().then(
        (client) => waiter.resolve(client),
        (error: unknown) => waiter.reject(error instanceof Error ? error : new Error(String(error))),
      )
    }
  }
  const connect = async (): Promise<pg.Client> => {
    open++
    const client = new pg.Client({connectionString: options.url, connectionTimeoutMillis: connectTimeoutMs})
    let lost = false
    // A connection that breaks while idle (the proxy closed it, the server went away) is dropped.
    client.on('error', () => {
      if (!lost) {
        lost = true
        forget(client)
      }
    })
    client.on('end', () => {
      if (!lost) {
        lost = true
        forget(client)
      }
    })
    try {
      await client.connect()
    } catch (error) {
      if (!lost) {
        lost = true
        forget(client)
      }
      throw error
    }
    return client
  }
  const acquire = (): Promise<pg.Client> => {
    if (closed) return Promise.reject(new Error('the SQL ledger adapter is closed'))
    const client = idle.pop()
    if (client !== undefined) return Promise.resolve(client)
    if (open < maxConnections) return connect()
    return new Promise((resolve, reject) => waiters.push({reject, resolve}))
  }
  const release = (client: pg.Client): void => {
    if (closed) return forget(client)
    // An idle connection must not keep the process alive: the engine has no close() to call.
    socket(client).unref()
    const waiter = waiters.shift()
    if (waiter) waiter.resolve(client)
    else idle.push(client)
  }

  /** Runs one statement on a pooled connection; an abort destroys the connection, and a late one is never used. */
  const run = async (text: string, values: string[], signal: AbortSignal): Promise<pg.QueryResult<{value: string}>> => {
    signal.throwIfAborted()
    const client = await acquire()
    if (signal.aborted) {
      release(client)
      signal.throwIfAborted()
    }
    socket(client).ref()
    const onAbort = (): void => destroy(client)
    signal.addEventListener('abort', onAbort, {once: true})
    try {
      const result = await client.query<{value: string}>(text, values)
      release(client)
      return result
    } catch (error) {
      // Whatever went wrong, the connection is not trusted again.
      destroy(client)
      throw error
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  const ensureTable = (signal: AbortSignal): Promise<void> => {
    if (ready !== undefined) return ready
    const creating = (async () => {
      await run(`CREATE TABLE IF NOT EXISTS ${table} (key text NOT NULL, value text NOT NULL, written_at timestamptz NOT NULL DEFAULT now())`, [], signal)
      // In the table's schema, as PostgreSQL puts an index; named after the table so two ledgers never share one.
      await run(`CREATE INDEX IF NOT EXISTS "${table.replaceAll('"', '').split('.').at(-1)!}_key_idx" ON ${table} (key)`, [], signal)
    })()
    ready = creating
    // A failed creation (the store was down, read-only, or this write gave up) is tried again by the next call.
    creating.catch(() => {
      if (ready === creating) ready = undefined
    })
    return creating
  }

  return {
    async write(key, value, signal) {
      await ensureTable(signal)
      await run(`INSERT INTO ${table} (key, value) VALUES ($1, $2)`, [key, value], signal)
    },
    async read(key, signal): Promise<LedgerRead> {
      const result = await run(`SELECT value FROM ${table} WHERE key = $1`, [key], signal)
      const first = result.rows[0]
      if (first === undefined) return {found: false}
      return {copies: result.rows.length, found: true, value: first.value}
    },
    async close() {
      closed = true
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('the SQL ledger adapter is closed'))
      for (const client of [...idle]) forget(client)
    },
  }
}
