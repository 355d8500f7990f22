/**
 * A test driver with real behaviour: a "world" of active faults that inject adds to and revert removes
 * from, an ordered log of every call, and switches that make chosen calls fail. Worlds are looked up by
 * name from the driver config, so a rollback that connects afresh sees the same world.
 */
import {readFileSync} from 'node:fs'
import {z} from 'zod'

import {defineDriver, type Driver} from '../../src/drivers/define.js'
import {faultSchemas} from '../../src/experiment/schema.js'

export interface World {
  active: Set<string>
  /** Make `connect` throw. */
  failConnect?: boolean
  /** Fault ids (f1, f2, …) whose inject throws after the fault is partly in place. */
  failInject: Set<string>
  /** Fault ids whose revert throws. */
  failRevert: Set<string>
  /** Fault ids whose revert never settles. */
  hangRevert: Set<string>
  /** Fault ids whose verify says the fault did not land. */
  notLanding: Set<string>
  log: string[]
  /** Checked at inject: the ledger file must already hold the fault's planned entry. */
  ledgerFile?: string
  ledgerHadPlanBeforeInject: string[]
  probeThrows?: boolean
  /** The value the `state` probe returns. */
  state: string
}

const worlds = new Map<string, World>()

export function createWorld(name: string): World {
  const world: World = {
    active: new Set(),
    failInject: new Set(),
    failRevert: new Set(),
    hangRevert: new Set(),
    ledgerHadPlanBeforeInject: [],
    log: [],
    notLanding: new Set(),
    state: 'healthy',
  }
  worlds.set(name, world)
  return world
}

type State = {faultId: string; name: string}

const fault = {
  params: z.object({}).passthrough(),
  plan: (_params: unknown, context: {faultId: string; runId: string}) => ({
    actions: [{description: `mark ${context.faultId}`}],
    fidelity: [],
    ok: true as const,
    state: {faultId: context.faultId, name: `rift-${context.runId}-${context.faultId}`},
    target: `world fault ${context.faultId}`,
  }),
  async inject({client, state}: {client: World; state: State}) {
    client.log.push(`inject ${state.faultId}`)
    if (client.ledgerFile && readFileSync(client.ledgerFile, 'utf8').includes(`"faultId":"${state.faultId}"`)) {
      client.ledgerHadPlanBeforeInject.push(state.faultId)
    }
    client.active.add(state.name)
    if (client.failInject.has(state.faultId)) throw new Error(`inject of ${state.faultId} broke half-way`)
  },
  async verify({client, state}: {client: World; state: State}) {
    const landed = client.active.has(state.name) && !client.notLanding.has(state.faultId)
    return {detail: landed ? 'in the world' : 'not observable', landed}
  },
  async revert({client, state}: {client: World; state: State}) {
    client.log.push(`revert ${state.faultId}`)
    if (client.failRevert.has(state.faultId)) throw new Error(`revert of ${state.faultId} refused`)
    if (client.hangRevert.has(state.faultId)) return new Promise<never>(() => {})
    return client.active.delete(state.name) ? ('reverted' as const) : ('already-reverted' as const)
  },
  summary: 'marks the world',
}

export const recordingDriver: Driver = defineDriver<World, {world: string}>({
  actions: {mark: fault},
  capabilities: {blastRadius: 'process', live: false, resumableRevert: true},
  config: z.object({world: z.string()}),
  async connect(config) {
    const world = worlds.get(config.world)
    if (!world) throw new Error(`no world ${config.world}`)
    if (world.failConnect) throw new Error('connection refused')
    return world
  },
  faults: {'region-outage': {...fault, params: faultSchemas['region-outage']}, latency: {...fault, params: faultSchemas.latency}},
  fidelity: ['records faults in a test world'],
  name: 'recording',
  probes: {
    number: {
      params: z.object({value: z.number()}),
      async run({params}) {
        return params.value
      },
      summary: 'returns params.value, for SLOs on a probe value',
    },
    state: {
      params: z.object({}).passthrough(),
      async run({client}) {
        if (client.probeThrows) throw new Error('probe exploded')
        return client.state
      },
      summary: 'the world state',
    },
  },
  summary: 'test driver',
})
