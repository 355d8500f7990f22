/**
 * The memory driver's contract, against real fabric files in a temporary folder: what `plan` promises, that an
 * injected fault is visible to the probes and to `verify`, and that every revert path ends with nothing left.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, readdir, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {FaultDefinition, Json, PlanContext, RevertOutcome, Topology} from '../../../src/drivers/define.js'
import memory, {type EntryState, type MemoryFabric} from '../../../src/drivers/memory/index.js'
import {isRiftError} from '../../../src/errors.js'
import {faultStepSchema} from '../../../src/experiment/schema.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const log = {debug: () => undefined, info: () => undefined, warn: () => undefined}
const signal = new AbortController().signal

const region = (name: string) => ({name, services: {}, tags: {}})
const topology: Topology = {
  links: [
    {from: 'clients', kind: 'client', name: 'client-us-east', to: 'us-east'},
    {from: 'clients', kind: 'client', name: 'client-eu-west', to: 'eu-west'},
    {from: 'us-east', kind: 'replication', name: 'repl-us-east-eu-west', to: 'eu-west'},
    {from: 'us-east', kind: 'service', name: 'svc-us-east-eu-west', to: 'eu-west'},
    {from: 'eu-west', kind: 'service', name: 'svc-eu-west-us-east', to: 'us-east'},
  ],
  regions: [region('us-east'), region('eu-west'), region('ap-south')],
}
const noLinks: Topology = {links: [], regions: [region('us-east'), region('eu-west')]}

type Fault = FaultDefinition<MemoryFabric, any, EntryState>

/** A region fault with its step's defaults applied, as the loader hands it over. */
function regionFault(input: Record<string, unknown>): {fault: Fault; params: unknown} {
  const step = faultStepSchema.parse({duration: '1s', ...input})
  return {fault: memory.faults[step.fault] as Fault, params: step}
}

function action(name: string, params: Record<string, unknown>): {fault: Fault; params: unknown} {
  const fault = memory.actions[name] as Fault
  return {fault, params: fault.params.parse(params)}
}

function plan({fault, params}: {fault: Fault; params: unknown}, context: Partial<PlanContext> = {}) {
  return fault.plan(params, {faultId: 'f1', runId: 'r1', topology, ...context})
}

function planned(request: {fault: Fault; params: unknown}, context: Partial<PlanContext> = {}) {
  const result = plan(request, context)
  if (!result.ok) throw new Error(`plan declined: ${result.reason}`)
  return result
}

async function connect(fabric: string, stateDir = '/nonexistent-state-dir'): Promise<MemoryFabric> {
  return memory.connect(memory.config.parse({fabric}), {log, signal, stateDir})
}

async function probe(client: MemoryFabric, name: string, params: Record<string, unknown> = {}): Promise<Json> {
  const definition = memory.probes[name]!
  return definition.run({client, log, params: definition.params.parse(params), signal})
}

const ctx = (client: MemoryFabric, state: EntryState, abort = signal) => ({client, log, signal: abort, state})

/** Injects and returns the state the engine would ledger. */
async function inject(fault: Fault, client: MemoryFabric, state: EntryState): Promise<EntryState> {
  return (await fault.inject(ctx(client, state))) ?? state
}

let dir: string
let fabricFile: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rift-memory-'))
  fabricFile = join(dir, 'fabric.json')
})
afterEach(async () => {
  await rm(dir, {force: true, recursive: true})
})

describe('memory driver definition', () => {
  it('is a process-local, resumable, non-live driver with every region fault', () => {
    expect(memory.name).toBe('memory')
    expect(memory.capabilities).toEqual({blastRadius: 'process', live: false, resumableRevert: true})
    expect(Object.keys(memory.faults).sort()).toEqual(
      ['bandwidth', 'dns-failover', 'latency', 'partition', 'region-outage', 'replica-corruption', 'replication-pause'].sort(),
    )
    expect(Object.keys(memory.actions).sort()).toEqual(['cut-link', 'delay-link'])
    expect(Object.keys(memory.probes).sort()).toEqual(['active-faults', 'latency', 'path', 'reachable'])
  })

  it('keeps the fabric in <stateDir>/memory-fabric.json by default', async () => {
    const client = await memory.connect(memory.config.parse({}), {log, signal, stateDir: join(dir, '.rift')})
    expect(client.location).toBe(join(dir, '.rift', 'memory-fabric.json'))
  })

  it('rejects unknown config keys', () => {
    expect(memory.config.safeParse({fabirc: 'x'}).success).toBe(false)
  })
})

/** Every fault kind and action, with what its probes must show while it is in force. */
const cases: {name: string; request: () => {fault: Fault; params: unknown}; shows: (client: MemoryFabric) => Promise<void>; clear: (client: MemoryFabric) => Promise<void>}[] = [
  {
    name: 'region-outage',
    request: () => regionFault({fault: 'region-outage', mode: 'reject', region: 'us-east'}),
    shows: async (client) => {
      expect(await probe(client, 'reachable', {from: 'clients', to: 'us-east'})).toBe(false)
      expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(false)
      expect(await probe(client, 'reachable', {from: 'eu-west', to: 'us-east'})).toBe(false)
      expect(await probe(client, 'reachable', {from: 'clients', to: 'eu-west'})).toBe(true)
    },
    clear: async (client) => expect(await probe(client, 'reachable', {from: 'clients', to: 'us-east'})).toBe(true),
  },
  {
    name: 'latency',
    request: () => regionFault({fault: 'latency', from: 'us-east', jitter: '20ms', latency: '80ms', to: 'eu-west'}),
    shows: async (client) => {
      expect(await probe(client, 'latency', {from: 'us-east', to: 'eu-west'})).toBe(80)
      expect(await probe(client, 'latency', {from: 'eu-west', to: 'us-east'})).toBe(80)
      expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({jitterMs: 20, reachable: true})
    },
    clear: async (client) => expect(await probe(client, 'latency', {from: 'us-east', to: 'eu-west'})).toBe(0),
  },
  {
    name: 'partition (one-way)',
    request: () => regionFault({direction: 'one-way', fault: 'partition', from: 'us-east', to: 'eu-west'}),
    shows: async (client) => {
      expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(false)
      expect(await probe(client, 'reachable', {from: 'eu-west', to: 'us-east'})).toBe(true)
    },
    clear: async (client) => expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(true),
  },
  {
    name: 'bandwidth',
    request: () => regionFault({fault: 'bandwidth', from: 'us-east', kilobytesPerSecond: 100, to: 'eu-west'}),
    shows: async (client) => {
      expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({bandwidthKbps: 100})
      expect(await probe(client, 'path', {from: 'eu-west', to: 'us-east'})).toMatchObject({bandwidthKbps: 100})
    },
    clear: async (client) => expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({bandwidthKbps: null}),
  },
  {
    name: 'replication-pause',
    request: () => regionFault({fault: 'replication-pause', from: 'us-east', to: 'eu-west'}),
    shows: async (client) => {
      expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({reachable: true, replicationPaused: true})
      expect(await probe(client, 'path', {from: 'eu-west', to: 'us-east'})).toMatchObject({replicationPaused: false})
    },
    clear: async (client) => expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({replicationPaused: false}),
  },
  {
    name: 'replica-corruption',
    request: () => regionFault({fault: 'replica-corruption', from: 'us-east', mode: 'truncate', rate: 0.5, to: 'eu-west'}),
    shows: async (client) => {
      expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({
        corruption: [{entry: 'rift-r1-f1', mode: 'truncate', rate: 0.5}],
      })
    },
    clear: async (client) => expect(await probe(client, 'path', {from: 'us-east', to: 'eu-west'})).toMatchObject({corruption: []}),
  },
  {
    name: 'dns-failover',
    request: () => regionFault({fault: 'dns-failover', region: 'us-east'}),
    shows: async (client) => {
      // Drained from DNS, but the region itself is up.
      expect(await probe(client, 'path', {from: 'clients', to: 'us-east'})).toMatchObject({drained: true, reachable: true})
      expect(await probe(client, 'path', {from: 'clients', to: 'eu-west'})).toMatchObject({drained: false})
    },
    clear: async (client) => expect(await probe(client, 'path', {from: 'clients', to: 'us-east'})).toMatchObject({drained: false}),
  },
  {
    name: 'memory.cut-link',
    request: () => action('cut-link', {link: 'client-us-east'}),
    shows: async (client) => {
      expect(await probe(client, 'reachable', {from: 'clients', to: 'us-east'})).toBe(false)
      expect(await probe(client, 'reachable', {from: 'clients', to: 'eu-west'})).toBe(true)
    },
    clear: async (client) => expect(await probe(client, 'reachable', {from: 'clients', to: 'us-east'})).toBe(true),
  },
  {
    name: 'memory.delay-link',
    request: () => action('delay-link', {latency: '250ms', link: 'svc-eu-west-us-east'}),
    shows: async (client) => {
      expect(await probe(client, 'latency', {from: 'eu-west', to: 'us-east'})).toBe(250)
      expect(await probe(client, 'latency', {from: 'us-east', to: 'eu-west'})).toBe(0)
    },
    clear: async (client) => expect(await probe(client, 'latency', {from: 'eu-west', to: 'us-east'})).toBe(0),
  },
]

describe.each(cases)('$name', ({request, shows, clear}) => {
  it('plans deterministically, with the entry name derived from the run and fault ids', () => {
    const first = planned(request())
    expect(planned(request())).toEqual(first)
    expect(first.state.name).toBe('rift-r1-f1')
    expect(planned(request(), {faultId: 'f2', runId: 'r9'}).state.name).toBe('rift-r9-f2')
    expect(first.actions.length).toBeGreaterThan(0)
    for (const planAction of first.actions) expect(planAction.description).toContain('[entry rift-r1-f1]')
  })

  it('injects, verifies as landed, shows in the probes, then reverts once and only once', async () => {
    const {fault} = request()
    const client = await connect(fabricFile)
    const state = await inject(fault, client, planned(request()).state)
    expect(state.fabric).toBe(fabricFile)

    const verification = await fault.verify!(ctx(client, state))
    expect(verification).toMatchObject({landed: true})
    expect(verification.detail).toMatch(/^observed: /)
    await shows(client)
    expect(await probe(client, 'active-faults')).toBe(1)

    expect(await fault.revert(ctx(client, state))).toBe<RevertOutcome>('reverted')
    expect(await fault.revert(ctx(client, state))).toBe<RevertOutcome>('already-reverted')
    expect(await probe(client, 'active-faults')).toBe(0)
    await clear(client)
  })

  it('reverts without inject as already-reverted', async () => {
    const {fault} = request()
    const client = await connect(fabricFile)
    expect(await fault.revert(ctx(client, planned(request()).state))).toBe('already-reverted')
  })

  it('reverts from a fresh connect on the same fabric, using only the ledgered state', async () => {
    const {fault} = request()
    const ledgered = JSON.parse(JSON.stringify(await inject(fault, await connect(fabricFile), planned(request()).state))) as EntryState
    const fresh = await connect(fabricFile)
    expect(await fault.revert(ctx(fresh, ledgered))).toBe('reverted')
    await clear(fresh)
  })
})

describe('plan', () => {
  it('names concrete paths and links', () => {
    const result = planned(regionFault({fault: 'region-outage', region: 'us-east'}))
    const descriptions = result.actions.map((a) => a.description)
    expect(descriptions).toContain('black-hole path clients→us-east (link client-us-east) [entry rift-r1-f1]')
    expect(descriptions).toContain('black-hole path us-east→eu-west (links repl-us-east-eu-west, svc-us-east-eu-west) [entry rift-r1-f1]')
    expect(descriptions).toContain('black-hole path eu-west→us-east (link svc-eu-west-us-east) [entry rift-r1-f1]')
    expect(result.target).toBe('region us-east')
    expect(result.fidelity.join(' ')).toMatch(/recorded, not enacted/)
  })

  it('is pure: planning touches no fabric', async () => {
    planned(regionFault({fault: 'region-outage', region: 'us-east'}))
    await expect(stat(fabricFile)).rejects.toMatchObject({code: 'ENOENT'})
  })

  it('uses implicit paths when the topology declares no links', () => {
    const result = planned(regionFault({fault: 'region-outage', region: 'us-east'}), {topology: noLinks})
    expect(result.actions.map((a) => a.description)).toEqual([
      'black-hole path clients→us-east (implicit path) [entry rift-r1-f1]',
      'black-hole path us-east→eu-west (implicit path) [entry rift-r1-f1]',
      'black-hole path eu-west→us-east (implicit path) [entry rift-r1-f1]',
    ])
  })

  it('declines replication-pause when no link of kind replication runs from → to', () => {
    const serviceOnly: Topology = {...topology, links: topology.links.filter((link) => link.kind !== 'replication')}
    const result = plan(regionFault({fault: 'replication-pause', from: 'us-east', to: 'eu-west'}), {topology: serviceOnly})
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.reason).toBe('the topology has no replication link from us-east to eu-west')
    expect(result.suggestions).toContain('If link svc-us-east-eu-west carries replication, give it kind: replication')

    const reversed = plan(regionFault({fault: 'replication-pause', from: 'eu-west', to: 'us-east'}))
    expect(reversed).toMatchObject({ok: false})
    if (!reversed.ok) expect(reversed.suggestions?.[0]).toMatch(/swap from and to/)
  })

  it('treats the implicit path as the replication stream when no links are declared, and says so', () => {
    const result = planned(regionFault({fault: 'replication-pause', from: 'us-east', to: 'eu-west'}), {topology: noLinks})
    expect(result.fidelity.join(' ')).toMatch(/implicit path us-east→eu-west stands for the replication stream/)
  })

  it('declines unknown regions with the closest name', () => {
    const result = plan(regionFault({fault: 'region-outage', region: 'us-eats'}))
    expect(result).toMatchObject({ok: false, suggestions: ['Did you mean "us-east"?']})
  })

  it('declines clients as a region, and a fault between a region and itself', () => {
    expect(plan(regionFault({fault: 'region-outage', region: 'clients'}))).toMatchObject({ok: false})
    expect(plan(regionFault({fault: 'partition', from: 'us-east', to: 'us-east'}))).toMatchObject({ok: false})
  })

  it('faults only declared directions and notes the missing one', () => {
    const result = planned(regionFault({fault: 'partition', from: 'clients', to: 'us-east'}))
    expect(result.actions.map((a) => a.description)).toEqual(['cut path clients→us-east (link client-us-east) [entry rift-r1-f1]'])
    expect(result.fidelity.join(' ')).toMatch(/"clients" is not a destination/)

    const declined = plan(regionFault({fault: 'latency', from: 'us-east', latency: '10ms', to: 'ap-south'}))
    expect(declined).toMatchObject({ok: false, reason: 'the topology declares no link between us-east and ap-south'})
  })

  it('notes that links sharing a path are faulted together, and declines unknown links', () => {
    const result = planned(action('cut-link', {link: 'repl-us-east-eu-west'}))
    expect(result.fidelity.join(' ')).toMatch(/svc-us-east-eu-west share us-east→eu-west/)
    expect(plan(action('cut-link', {link: 'client-us-eats'}))).toMatchObject({ok: false, suggestions: ['Did you mean "client-us-east"?']})
    expect(plan(action('cut-link', {link: 'anything'}), {topology: noLinks})).toMatchObject({ok: false})
  })
})

describe('overlapping faults', () => {
  it('reverting one leaves the other in force', async () => {
    const client = await connect(fabricFile)
    const outage = regionFault({fault: 'region-outage', region: 'us-east'})
    const cut = regionFault({direction: 'one-way', fault: 'partition', from: 'us-east', to: 'eu-west'})
    const outageState = await inject(outage.fault, client, planned(outage, {faultId: 'f1'}).state)
    const cutState = await inject(cut.fault, client, planned(cut, {faultId: 'f2'}).state)
    expect(await probe(client, 'active-faults')).toBe(2)

    expect(await outage.fault.revert(ctx(client, outageState))).toBe('reverted')
    expect(await probe(client, 'reachable', {from: 'clients', to: 'us-east'})).toBe(true)
    expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(false)
    expect(await cut.fault.verify!(ctx(client, cutState))).toMatchObject({landed: true})

    expect(await cut.fault.revert(ctx(client, cutState))).toBe('reverted')
    expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(true)
  })

  it('adds latencies on a shared path and removes each on its own', async () => {
    const client = await connect(fabricFile)
    const slow = regionFault({fault: 'latency', from: 'us-east', latency: '80ms', to: 'eu-west'})
    const slower = action('delay-link', {latency: '250ms', link: 'repl-us-east-eu-west'})
    const first = await inject(slow.fault, client, planned(slow, {faultId: 'f1'}).state)
    await inject(slower.fault, client, planned(slower, {faultId: 'f2'}).state)
    expect(await probe(client, 'latency', {from: 'us-east', to: 'eu-west'})).toBe(330)
    await slow.fault.revert(ctx(client, first))
    expect(await probe(client, 'latency', {from: 'us-east', to: 'eu-west'})).toBe(250)
  })
})

describe('verify', () => {
  it('says not landed when the entry was never injected, or was removed behind the driver', async () => {
    const client = await connect(fabricFile)
    const request = regionFault({fault: 'region-outage', region: 'us-east'})
    const state = planned(request).state
    expect(await request.fault.verify!(ctx(client, state))).toMatchObject({landed: false})

    const injected = await inject(request.fault, client, state)
    await rm(fabricFile)
    const verification = await request.fault.verify!(ctx(client, injected))
    expect(verification.landed).toBe(false)
    expect(verification.detail).toContain('rift-r1-f1 is not in the fabric')
  })

  it('does not credit a fault with an effect another fault causes', async () => {
    const client = await connect(fabricFile)
    const outage = regionFault({fault: 'region-outage', region: 'us-east'})
    await inject(outage.fault, client, planned(outage, {faultId: 'f1'}).state)
    const cut = regionFault({fault: 'partition', from: 'us-east', to: 'eu-west'})
    const cutState = planned(cut, {faultId: 'f2'}).state
    // Not injected: the path is unreachable, but not because of f2.
    expect(await cut.fault.verify!(ctx(client, cutState))).toMatchObject({landed: false})
  })
})

describe('the file-backed fabric', () => {
  it('is shared by two clients', async () => {
    const writer = await connect(fabricFile)
    const reader = await connect(fabricFile)
    const request = regionFault({fault: 'region-outage', region: 'eu-west'})
    await inject(request.fault, writer, planned(request).state)
    expect(await probe(reader, 'reachable', {from: 'clients', to: 'eu-west'})).toBe(false)
    expect(await probe(reader, 'active-faults')).toBe(1)
  })

  it('loses no entry when two clients write at once', async () => {
    const clients = [await connect(fabricFile), await connect(fabricFile)]
    const request = action('delay-link', {latency: '1ms', link: 'client-us-east'})
    await Promise.all(
      Array.from({length: 20}, (_, i) => inject(request.fault, clients[i % 2]!, planned(request, {faultId: `f${i}`}).state)),
    )
    expect(await probe(clients[0]!, 'active-faults')).toBe(20)
    expect(await probe(clients[1]!, 'latency', {from: 'clients', to: 'us-east'})).toBe(20)
    // Atomic writes leave neither temporary files nor the lock behind.
    expect(await readdir(dir)).toEqual(['fabric.json'])
  })

  it('breaks a stale lock instead of waiting forever', async () => {
    const client = await connect(fabricFile)
    await writeFile(`${fabricFile}.lock`, JSON.stringify({host: 'elsewhere', pid: 1, token: 'old'}))
    const old = new Date(Date.now() - 60_000)
    await utimes(`${fabricFile}.lock`, old, old)
    const request = regionFault({fault: 'dns-failover', region: 'us-east'})
    await inject(request.fault, client, planned(request).state)
    expect(await probe(client, 'active-faults')).toBe(1)
  })

  it('breaks at once a lock whose owner on this host has died', async () => {
    const {stdout} = await run(process.execPath, ['-e', 'console.log(process.pid)'])
    const deadPid = Number(stdout.trim())
    await writeFile(`${fabricFile}.lock`, JSON.stringify({host: hostname(), pid: deadPid, token: 'dead'}))
    const client = await connect(fabricFile)
    const request = regionFault({fault: 'dns-failover', region: 'us-east'})
    const started = Date.now()
    await inject(request.fault, client, planned(request).state)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await probe(client, 'active-faults')).toBe(1)
  })

  it('waits while a live owner holds the lock', async () => {
    await writeFile(`${fabricFile}.lock`, JSON.stringify({host: hostname(), pid: process.pid, token: 'live'}))
    const client = await connect(fabricFile)
    const request = regionFault({fault: 'dns-failover', region: 'us-east'})
    let done = false
    const injecting = inject(request.fault, client, planned(request).state).then(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(done).toBe(false)
    await rm(`${fabricFile}.lock`)
    await injecting
    expect(await probe(client, 'active-faults')).toBe(1)
  })

  it('fails connect with a clear error when the fabric file is not a fabric', async () => {
    await writeFile(fabricFile, '{"not": "a fabric"')
    const error: unknown = await connect(fabricFile).catch((caught: unknown) => caught)
    expect(isRiftError(error) && error.code).toBe('RIFT_DRIVER_UNREACHABLE')
    expect(String(error)).toContain('is not valid JSON')
  })

  it('writes nothing when the signal is already aborted', async () => {
    const client = await connect(fabricFile)
    const request = regionFault({fault: 'region-outage', region: 'us-east'})
    await expect(request.fault.inject(ctx(client, planned(request).state, AbortSignal.abort()))).rejects.toThrow()
    expect(await probe(client, 'active-faults')).toBe(0)
  })

  it('reverts on the ledgered fabric even when connected to another one', async () => {
    const request = regionFault({fault: 'region-outage', region: 'us-east'})
    const state = await inject(request.fault, await connect(fabricFile), planned(request).state)
    const elsewhere = await connect(join(dir, 'other.json'))
    expect(await request.fault.revert(ctx(elsewhere, state))).toBe('reverted')
    expect(JSON.parse(await readFile(fabricFile, 'utf8'))).toMatchObject({entries: {}})
  })
})

describe('the in-process fabric', () => {
  it('is shared within the process by location, and separate per label', async () => {
    const a = await connect(':memory:test-a')
    const again = await connect(':memory:test-a')
    const b = await connect(':memory:test-b')
    const request = regionFault({fault: 'region-outage', region: 'us-east'})
    const state = await inject(request.fault, a, planned(request).state)
    expect(await probe(again, 'reachable', {from: 'clients', to: 'us-east'})).toBe(false)
    expect(await probe(b, 'active-faults')).toBe(0)
    expect(await request.fault.revert(ctx(again, state))).toBe('reverted')
    expect(await probe(a, 'active-faults')).toBe(0)
  })
})

describe('across processes', () => {
  /** Runs the driver in a new node process (TypeScript through tsx), as `rift rollback` would after a crash. */
  async function inChild(script: string, env: Record<string, string>): Promise<string> {
    const preamble = `
      const {default: memory} = await import(process.env.DRIVER_URL)
      const log = {debug() {}, info() {}, warn() {}}
      const signal = AbortSignal.timeout(20000)
      const client = await memory.connect({fabric: process.env.FABRIC}, {log, signal, stateDir: '/nonexistent'})
      const state = JSON.parse(process.env.STATE)
    `
    const {stdout} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', preamble + script], {
      cwd: ROOT,
      env: {...process.env, DRIVER_URL: pathToFileURL(join(ROOT, 'src/drivers/memory/index.ts')).href, FABRIC: fabricFile, ...env},
      timeout: 30_000,
    })
    return stdout.trim()
  }

  it('a second process reverts what the first injected, once', async () => {
    const request = regionFault({fault: 'region-outage', region: 'us-east'})
    const state = await inject(request.fault, await connect(fabricFile), planned(request).state)
    const revert = `
      const outcome = await memory.faults['region-outage'].revert({client, log, signal, state})
      const left = await memory.probes['active-faults'].run({client, log, params: {}, signal})
      console.log(outcome + ' ' + left)
    `
    expect(await inChild(revert, {STATE: JSON.stringify(state)})).toBe('reverted 0')
    expect(await inChild(revert, {STATE: JSON.stringify(state)})).toBe('already-reverted 0')
    expect(await probe(await connect(fabricFile), 'reachable', {from: 'clients', to: 'us-east'})).toBe(true)
  })

  it('reverts a fault whose injecting process was killed with SIGKILL', async () => {
    const request = regionFault({fault: 'partition', from: 'us-east', to: 'eu-west'})
    const state = planned(request).state
    const injectThenDie = `
      await memory.faults.partition.inject({client, log, signal, state})
      process.kill(process.pid, 'SIGKILL')
    `
    await expect(inChild(injectThenDie, {STATE: JSON.stringify(state)})).rejects.toMatchObject({signal: 'SIGKILL'})
    const client = await connect(fabricFile)
    expect(await probe(client, 'reachable', {from: 'us-east', to: 'eu-west'})).toBe(false)
    // The ledger holds the plan's state (fabric: null): the configured fabric is used.
    expect(await request.fault.revert(ctx(client, state))).toBe('reverted')
    expect(await probe(client, 'active-faults')).toBe(0)
  })
})
