/**
 * sandbox: probes of the practice system that `sandbox:` experiments run against — through its global
 * router, as a client would. It injects nothing (faults go through the toxiproxy driver on the sandbox's
 * own fault proxy). The runner fills in `routerUrl` once the sandbox is up.
 *
 * Blast radius: none. Already reverted: not applicable (no faults).
 */
import {randomUUID} from 'node:crypto'
import {z} from 'zod'

import {defineDriver} from '../define.js'

const config = z.strictObject({
  /** Each region's node, bypassing the fault proxy; set by the runner like routerUrl. */
  regions: z.record(z.string(), z.url()).default({}),
  /** Set by the runner when it starts the sandbox; an experiment file leaves it out. */
  routerUrl: z.url().optional(),
})
type Client = {regions: Record<string, string>; routerUrl: string}

async function routerState(client: Client): Promise<{active: string | null; events: unknown[]}> {
  const response = await fetch(`${client.routerUrl}/router/state`, {signal: AbortSignal.timeout(2000)})
  if (!response.ok) throw new Error(`the sandbox router answered HTTP ${response.status}`)
  return (await response.json()) as {active: string | null; events: unknown[]}
}

/** One write through the router, read back: true when both succeed and the value matches. */
async function writeRead(client: Client, key: string): Promise<boolean> {
  const value = randomUUID()
  try {
    const put = await fetch(`${client.routerUrl}/kv/${key}`, {body: value, method: 'PUT', signal: AbortSignal.timeout(2000)})
    if (!put.ok) return false
    const get = await fetch(`${client.routerUrl}/kv/${key}`, {signal: AbortSignal.timeout(2000)})
    return get.ok && ((await get.json()) as {value: string}).value === value
  } catch {
    return false
  }
}

export default defineDriver<Client, z.infer<typeof config>>({
  name: 'sandbox',
  summary: 'Probes of the rift sandbox through its global router (used by `sandbox:` experiments).',
  capabilities: {blastRadius: 'process', live: false, resumableRevert: true},
  config,
  async connect(options) {
    if (!options.routerUrl) throw new Error('no sandbox is running: sandbox probes work in experiments that declare sandbox:')
    return {regions: options.regions, routerUrl: options.routerUrl.replace(/\/$/, '')}
  },
  faults: {},
  actions: {},
  probes: {
    'active-region': {
      params: z.strictObject({}),
      async run({client}) {
        return (await routerState(client)).active
      },
      summary: 'the region the router sends traffic to now (null when none can serve)',
    },
    'corrupt-rejected': {
      params: z.strictObject({region: z.string().min(1)}),
      async run({client, params}) {
        const url = client.regions[params.region]
        if (!url) throw new Error(`the sandbox has no region "${params.region}" (regions: ${Object.keys(client.regions).join(', ')})`)
        const response = await fetch(`${url}/admin/state`, {signal: AbortSignal.timeout(2000)})
        if (!response.ok) throw new Error(`${params.region}'s node answered HTTP ${response.status}`)
        return ((await response.json()) as {corruptRecordsRejected: number}).corruptRecordsRejected
      },
      summary: 'how many replicated records a region refused because they failed their checksum',
    },
    failovers: {
      params: z.strictObject({}),
      async run({client}) {
        return (await routerState(client)).events.filter((event) => (event as {type?: string}).type === 'failover').length
      },
      summary: 'how many failovers the router has made',
    },
    'write-read': {
      params: z.strictObject({count: z.number().int().min(1).max(1000).default(1)}),
      async run({client, params}) {
        let ok = 0
        for (let index = 0; index < params.count; index++) if (await writeRead(client, `probe-${randomUUID()}`)) ok++
        return ok === params.count
      },
      summary: 'writes `count` fresh keys through the router and reads each back: true when all succeed',
    },
  },
  fidelity: ['probes only: faults on the sandbox go through the toxiproxy driver'],
})
