/**
 * What the PostgreSQL experiments' tests share: a copy of an experiment on free loopback ports, rift's fault
 * proxy in this process, a primary and a standby set up behind it by the pg-cluster controller, a run
 * through rift's engine, and the truth read straight from the servers (never through rift).
 */
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {createDefaultRegistry} from '../../../src/drivers/index.js'
import type {Journal} from '../../../src/engine/journal.js'
import {assertNothingDeclined, planExperiment} from '../../../src/engine/plan.js'
import {runExperiment} from '../../../src/engine/run-experiment.js'
import {createRunId} from '../../../src/engine/run-id.js'
import {loadExperiment} from '../../../src/experiment/load.js'
import {connectionUrl, query, type ReplicationMode} from '../../../src/postgres/cluster.js'
import {down, up, type ClusterState} from '../../../src/postgres/controller.js'
import {loadLayout} from '../../../src/postgres/layout.js'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/** The experiments' command steps run the built controller, as an operator runs a script. */
export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'postgres', 'cli.js'))) {
    throw new Error('dist/postgres/cli.js is missing: the experiments run the built controller; run `npm run build` first (npm test does)')
  }
}

/** `count` distinct free loopback ports (all held open until all are known, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
    }
    return servers.map((server) => (server.address() as {port: number}).port)
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  }
}

export interface FaultProxy {
  url: string
  close(): Promise<void>
}

/** `rift proxy` from the built CLI, in its own process as it would run beside a real database. */
export async function startFaultProxy(): Promise<FaultProxy> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'proxy', '--port', '0', '--json'], {stdio: ['ignore', 'pipe', 'pipe']})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`rift proxy did not start within 30 s: ${stderr}`)), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as {url: string}).url)
    })
    child.once('exit', (code) => reject(new Error(`rift proxy exited ${code}: ${stderr}`)))
  }).catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  return {
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
    url,
  }
}

export interface Rig {
  dir: string
  file: string
  proxy: FaultProxy
  cluster: ClusterState | undefined
  /** Stops the servers, removes the proxies and the folder, closes the proxy. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Copies `experiments/postgres/<name>` with every 127.0.0.1 port moved to a free one (the proxy API's to the
 * proxy started here), then sets up the cluster it describes. On any failure, everything is torn down.
 */
export async function startRig(name: string, mode: ReplicationMode): Promise<Rig> {
  const dir = await mkdtemp(path.join(tmpdir(), `rift-pg-${mode}-`))
  // mkdtemp makes it private; the servers run as the postgres user when the tests run as root.
  await chmod(dir, 0o711)
  const proxy = await startFaultProxy().catch(async (error: unknown) => {
    await rm(dir, {force: true, recursive: true})
    throw error
  })
  let closed = false
  const rig: Rig = {
    async close() {
      if (closed) return
      closed = true
      try {
        await down(path.join(dir, 'cluster'))
      } finally {
        await proxy.close()
        await rm(dir, {force: true, recursive: true})
      }
    },
    cluster: undefined,
    dir,
    file: path.join(dir, name),
    proxy,
  }
  try {
    const text = await readFile(path.join(ROOT, 'experiments', 'postgres', name), 'utf8')
    const proxyPort = Number(new URL(proxy.url).port)
    const ports = [...new Set([...text.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => match[1]!))]
    const apiPort = /url: http:\/\/127\.0\.0\.1:(\d+)/.exec(text)![1]!
    const free = await freePorts(ports.length)
    const moved = new Map(ports.map((port, index) => [port, port === apiPort ? String(proxyPort) : String(free[index])]))
    await writeFile(rig.file, text.replaceAll(/127\.0\.0\.1:(\d+)/g, (_all, port: string) => `127.0.0.1:${moved.get(port)!}`))
    rig.cluster = await up(await loadLayout(rig.file), {dir: path.join(dir, 'cluster'), mode})
    return rig
  } catch (error) {
    await rig.close().catch(() => {})
    throw error
  }
}

/** Runs the experiment through rift's engine (the same path as `rift run`), its run folder in the rig's. */
export async function runThroughEngine(rig: Rig): Promise<Journal> {
  const registry = createDefaultRegistry()
  const experiment = await loadExperiment(rig.file, registry)
  const plan = planExperiment(experiment, registry, createRunId())
  assertNothingDeclined(plan, rig.file)
  return runExperiment(experiment, plan, {registry, stateDir: path.join(rig.dir, '.rift')})
}

/** Every ledger key stored on a server, read on its own port (no proxy, no rift code between). */
export async function keysOn(server: {host: string; port: number}, table = 'rift_ledger'): Promise<Set<string>> {
  const rows = await query<{key: string}>(connectionUrl(server.host, server.port), `SELECT key FROM ${table}`, [], 10_000)
  return new Set(rows.map((row) => row.key))
}

/** The p-th percentile (nearest rank) of `values`. */
export function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
