/**
 * One PostgreSQL server: a data directory, a port, and the programs that make, start, copy and stop it.
 * Loopback TCP only (no Unix socket), so nothing outside the data directory's folder is touched.
 */
import {appendFile} from 'node:fs/promises'
import path from 'node:path'

import pg from 'pg'

import {runProgram, type RunAs} from './binaries.js'

export interface ServerSpec {
  /** The data directory (created by initdb or pg_basebackup). */
  dataDir: string
  host: string
  port: number
}

export interface Programs {
  bin: string
  user: RunAs | undefined
}

export type ReplicationMode = 'async' | 'sync'

/**
 * Settings for throwaway clusters: small, quick to start, fsync off (durability against power loss is not
 * what these experiments measure; what replication acknowledges is unchanged). Do not copy into production.
 */
function baseSettings(server: ServerSpec): string[] {
  return [
    `listen_addresses = '${server.host}'`,
    `port = ${server.port}`,
    "unix_socket_directories = ''",
    'max_connections = 60',
    "shared_buffers = '16MB'",
    'fsync = off',
    'full_page_writes = off',
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    // Notice a dead peer within seconds, not the default minute.
    "wal_sender_timeout = '5s'",
    "wal_receiver_timeout = '5s'",
    "wal_retrieve_retry_interval = '500ms'",
  ]
}

/**
 * What the primary promises on commit. async: the commit returns once the WAL is written locally.
 * sync: once the standby named `standbyName` has applied it (remote_apply), so a read there sees it too.
 */
export function replicationSettings(mode: ReplicationMode, standbyName: string): string[] {
  return mode === 'sync'
    ? [`synchronous_standby_names = '"${standbyName}"'`, 'synchronous_commit = remote_apply']
    : ["synchronous_standby_names = ''", 'synchronous_commit = on']
}

async function appendSettings(dataDir: string, lines: string[]): Promise<void> {
  await appendFile(path.join(dataDir, 'postgresql.conf'), `\n# rift pg-cluster\n${lines.join('\n')}\n`)
}

export async function initPrimary(programs: Programs, server: ServerSpec, mode: ReplicationMode, standbyName: string): Promise<void> {
  // trust on loopback, for connections and replication alike: a test rig, reachable only from this machine.
  await runProgram(programs.bin, 'initdb', ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], programs.user)
  await appendSettings(server.dataDir, [...baseSettings(server), ...replicationSettings(mode, standbyName)])
}

/**
 * A hot standby copied from the primary through `via` (the replication link's listener, so the copy and the
 * stream that follows cross the fault proxy). `-R` writes standby.signal and primary_conninfo with the
 * standby's application_name, which synchronous_standby_names refers to.
 */
export async function initStandby(programs: Programs, server: ServerSpec, via: {host: string; port: number}, standbyName: string): Promise<void> {
  const conninfo = `host=${via.host} port=${via.port} user=postgres application_name=${standbyName}`
  await runProgram(programs.bin, 'pg_basebackup', ['-d', conninfo, '-D', server.dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'], programs.user, 120_000)
  // The copy carries the primary's settings; the standby's own come last and win. Once promoted it must not
  // wait for a synchronous standby of its own (there is none left), so its commits are local.
  await appendSettings(server.dataDir, [...baseSettings(server), ...replicationSettings('async', standbyName)])
}

export async function startServer(programs: Programs, server: ServerSpec, log: string): Promise<void> {
  await runProgram(programs.bin, 'pg_ctl', ['-D', server.dataDir, '-l', log, '-w', '-t', '90', 'start'], programs.user, 120_000)
}

/** `immediate`: as a crash would (no checkpoint); fine for throwaway clusters. Resolves when it is down or was not running. */
export async function stopServer(programs: Programs, server: ServerSpec, mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
  try {
    await runProgram(programs.bin, 'pg_ctl', ['-D', server.dataDir, '-m', mode, '-w', '-t', '60', 'stop'], programs.user, 90_000)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/Is server running\?|No such file|does not exist/.test(message)) return
    throw error
  }
}

export function connectionUrl(host: string, port: number, database = 'postgres'): string {
  return `postgres://postgres@${host}:${port}/${database}`
}

/** Runs one statement on a fresh connection, with a connect timeout; for setup, checks and the operator's steps. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = [], timeoutMs = 5000): Promise<R[]> {
  const client = new pg.Client({connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs * 6})
  client.on('error', () => {})
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end().catch(() => {})
  }
}
