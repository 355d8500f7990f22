/**
 * The operator's side of the PostgreSQL experiments: bring up a primary and a hot standby behind the fault
 * proxy (`up`), fail over as an operator would (`failover`: promote the standby, then point the clients'
 * endpoint at it), check a server (`check`), and tear everything down (`down`).
 */
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {findPgBin, handOver, serverUser, SERVER_PROGRAMS} from './binaries.js'
import {connectionUrl, initPrimary, initStandby, query, startServer, stopServer, type Programs, type ReplicationMode, type ServerSpec} from './cluster.js'
import {parseAddress, type PgLayout} from './layout.js'
import {deleteProxy, ensureProxy, repointProxy} from './proxies.js'

export interface ClusterState {
  dir: string
  mode: ReplicationMode
  proxyUrl: string
  /** Proxies this setup created, removed by `down`. */
  proxies: string[]
  primary: ServerSpec & {region: string}
  standby: ServerSpec & {region: string}
  bin: string
}

const STATE_FILE = 'cluster.json'

async function programs(bin?: string): Promise<Programs> {
  const found = bin ?? findPgBin()
  if (found === undefined) throw new Error(`PostgreSQL's server programs (${SERVER_PROGRAMS.join(', ')}) were not found: install PostgreSQL (apt-get install postgresql) or set RIFT_PG_BIN to their folder`)
  return {bin: found, user: await serverUser()}
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  for (;;) {
    try {
      const value = await attempt()
      if (value !== undefined) return value
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${last})`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

interface ReplicationRow {
  application_name: string
  state: string
  sync_state: string
}

/**
 * Starts the primary, creates the proxies (every link, and the clients' endpoint in front of the primary's
 * client link), copies the standby through the replication link and starts it, then waits until it streams
 * (as the synchronous standby in sync mode). `dir` must be new or empty; call `down(dir)` even when this fails.
 */
export async function up(layout: PgLayout, options: {dir: string; mode: ReplicationMode; bin?: string}): Promise<ClusterState> {
  const progs = await programs(options.bin)
  await mkdir(options.dir, {recursive: true})
  await handOver(options.dir, progs.user)
  const state: ClusterState = {
    bin: progs.bin,
    dir: options.dir,
    mode: options.mode,
    primary: {dataDir: path.join(options.dir, 'primary'), host: layout.primary.host, port: layout.primary.port, region: layout.primary.region},
    proxies: [],
    proxyUrl: layout.proxyUrl,
    standby: {dataDir: path.join(options.dir, 'standby'), host: layout.standby.host, port: layout.standby.port, region: layout.standby.region},
  }
  const save = (): Promise<void> => writeFile(path.join(options.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`)
  await save()
  await initPrimary(progs, state.primary, options.mode, layout.standby.region)
  await startServer(progs, state.primary, path.join(options.dir, 'primary.log'))
  for (const proxy of [...layout.links, layout.endpoint]) {
    await ensureProxy(layout.proxyUrl, proxy)
    state.proxies.push(proxy.name)
    await save()
  }
  await initStandby(progs, state.standby, layout.replicationVia, layout.standby.region)
  await startServer(progs, state.standby, path.join(options.dir, 'standby.log'))
  const primaryUrl = connectionUrl(layout.primary.host, layout.primary.port)
  await poll(`${layout.standby.region} to stream from ${layout.primary.region}`, 60_000, async () => {
    const rows = await query<ReplicationRow>(primaryUrl, 'SELECT application_name, state, sync_state FROM pg_stat_replication')
    const row = rows.find((candidate) => candidate.application_name === layout.standby.region)
    if (row?.state !== 'streaming') return undefined
    return options.mode === 'sync' && row.sync_state !== 'sync' ? undefined : row
  })
  return state
}

export async function readState(dir: string): Promise<ClusterState> {
  return JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8')) as ClusterState
}

/** Stops both servers, removes the proxies the setup made and, unless `keep`, the folder. Tries everything; reports what failed. */
export async function down(dir: string, options: {keep?: boolean} = {}): Promise<void> {
  let state: ClusterState | undefined
  try {
    state = await readState(dir)
  } catch {
    // nothing was set up beyond the folder
  }
  const failures: string[] = []
  if (state) {
    const progs = await programs(state.bin)
    for (const server of [state.standby, state.primary]) {
      await stopServer(progs, server).catch((error: unknown) => failures.push(`stopping ${server.region}: ${String(error)}`))
    }
    for (const name of state.proxies) await deleteProxy(state.proxyUrl, name).catch((error: unknown) => failures.push(String(error)))
  }
  if (!options.keep) await rm(dir, {force: true, recursive: true})
  if (failures.length > 0) throw new Error(failures.join('; '))
}

export interface FailoverResult {
  promoted: string
  /** False when the server was already a primary (the step ran twice). */
  wasStandby: boolean
  endpoint: {name: string; listen: string; upstream: string}
  /** The WAL position the new primary starts from. */
  lsn: string
  tookMs: number
}

/**
 * What an operator does when the primary's region is gone: promote the standby (reached through its own
 * region's client link) and point the clients' endpoint at it. The proxy closes the endpoint's open
 * connections when it is repointed, so every client reconnects to the new primary. Idempotent.
 */
export async function failover(options: {proxyUrl: string; endpoint: string; promote: string; timeoutMs?: number}): Promise<FailoverResult> {
  const started = performance.now()
  const timeoutMs = options.timeoutMs ?? 30_000
  const target = parseAddress(options.promote, '--promote')
  const url = connectionUrl(target.host, target.port)
  const [before] = await query<{recovery: boolean}>(url, 'SELECT pg_is_in_recovery() AS recovery')
  const wasStandby = before?.recovery === true
  if (wasStandby) {
    const [result] = await query<{promoted: boolean}>(url, 'SELECT pg_promote(true, $1) AS promoted', [Math.ceil(timeoutMs / 1000)], timeoutMs)
    if (result?.promoted !== true) throw new Error(`${options.promote} did not finish promotion within ${timeoutMs} ms`)
  }
  const endpoint = await repointProxy(options.proxyUrl.replace(/\/$/, ''), options.endpoint, options.promote)
  const via = parseAddress(endpoint.listen, `proxy ${options.endpoint} listen`)
  // Through the endpoint, as the clients will connect: the new primary must answer, writable.
  const lsn = await poll(`the endpoint ${endpoint.listen} to reach a writable primary`, timeoutMs, async () => {
    const [row] = await query<{recovery: boolean; lsn: string}>(connectionUrl(via.host, via.port), 'SELECT pg_is_in_recovery() AS recovery, pg_current_wal_lsn()::text AS lsn', [], 2000)
    return row && !row.recovery ? row.lsn : undefined
  })
  return {endpoint: {...endpoint, name: options.endpoint}, lsn, promoted: options.promote, tookMs: Math.round(performance.now() - started), wasStandby}
}

export interface CheckResult {
  ok: boolean
  problems: string[]
  inRecovery: boolean
  replication: ReplicationRow[]
}

/** A server's role and its standbys, judged against what the caller expects. */
export async function check(options: {url: string; writable?: boolean; syncStandby?: string; streaming?: string}): Promise<CheckResult> {
  const [role] = await query<{recovery: boolean}>(options.url, 'SELECT pg_is_in_recovery() AS recovery')
  const inRecovery = role?.recovery === true
  const replication = inRecovery ? [] : await query<ReplicationRow>(options.url, 'SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY application_name')
  const problems: string[] = []
  if (options.writable === true && inRecovery) problems.push('the server is a standby (read-only)')
  const standby = (name: string): ReplicationRow | undefined => replication.find((row) => row.application_name === name)
  if (options.streaming !== undefined && standby(options.streaming)?.state !== 'streaming') problems.push(`standby ${options.streaming} is not streaming`)
  if (options.syncStandby !== undefined && standby(options.syncStandby)?.sync_state !== 'sync') problems.push(`standby ${options.syncStandby} is not synchronous`)
  return {inRecovery, ok: problems.length === 0, problems, replication}
}
