/**
 * Region faults as edge effects: each fault plans the edges it touches and one effect, and shares one
 * lifecycle (apply on every edge, verify by reading the kernel's qdiscs back, revert by removing the trees it
 * owns). One fault per direction of a pair at a time: a second fault on a faulted edge fails to inject.
 */
import {faultSchemas, type FaultDefinition, type FaultPlan, type Json, type PlanContext} from 'rift/sdk'
import {z} from 'zod'

import {edgeBetween, labNodes, type Edge} from './lab.js'
import {applyEffect, handleFor, missingEffect, removeRoot, rootHandle, type Effect} from './tc.js'

export interface NetemClient {
  lab: string
}

/** What the ledger holds for a fault: everything revert needs, with no topology and no config. */
export interface EdgeState {
  effect: Effect
  edges: Edge[]
  handle: string
  name: string
}

export const netemConfigSchema = z.strictObject({
  /** Namespaces are `rift-<lab>-<region>`; a lab is created when the driver connects for a run. */
  lab: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a lab name is 1–32 lowercase letters, digits and dashes')
    .default('rift'),
  /** Keep the lab's namespaces after the run (they are removed when the run created them and this is false). */
  keep: z.boolean().default(false),
})
export type NetemConfig = z.output<typeof netemConfigSchema>

type Declined = Extract<FaultPlan, {ok: false}>

function labOf(context: PlanContext): string {
  return netemConfigSchema.parse(context.config ?? {}).lab
}

/** Edges from→to (and to→from for `both`), or a decline naming the unknown region. */
export function edgesFor(context: PlanContext, from: string, to: string, direction: 'one-way' | 'both'): Edge[] | Declined {
  const lab = labOf(context)
  const nodes = labNodes(lab, context.topology.regions.map((region) => region.name))
  const names = nodes.map((node) => node.name)
  const unknown = [from, to].find((name) => !names.includes(name))
  if (unknown !== undefined) return {ok: false, reason: `"${unknown}" is not a region of the topology`, suggestions: [`Use one of: ${names.join(', ')}`]}
  if (from === to) return {ok: false, reason: `from and to are both "${from}": netem faults act between two regions`}
  const edges = [edgeBetween(lab, nodes, from, to)]
  if (direction === 'both') edges.push(edgeBetween(lab, nodes, to, from))
  return edges
}

function describe(effect: Effect): string {
  const parts: string[] = []
  if (effect.latencyMs !== undefined) parts.push(`netem delay ${effect.latencyMs}ms${effect.jitterMs ? ` ±${effect.jitterMs}ms` : ''}`)
  if (effect.drop !== undefined) parts.push(effect.drop >= 1 ? 'drop every IPv4 packet' : `drop ${+(effect.drop * 100).toFixed(3)}% of IPv4 packets`)
  if (effect.rateKbit !== undefined) parts.push(`limit to ${effect.rateKbit} kbit/s`)
  return parts.join(', ')
}

export function planEdges(context: PlanContext, edges: Edge[], effect: Effect, fidelity: string[] = []): FaultPlan<Json> {
  const name = `rift-${context.runId}-${context.faultId}`
  const handle = handleFor(name)
  return {
    actions: edges.map((edge) => ({description: `${describe(effect)} on ${edge.from}→${edge.to} (tc qdisc ${handle}: on ${edge.namespace}/${edge.device})`})),
    fidelity,
    ok: true,
    state: {effect, edges, handle, name} satisfies EdgeState as unknown as Json,
    target: edges.map((edge) => `${edge.from}→${edge.to}`).join(', '),
  }
}

/** inject, verify and revert, the same for every fault. */
export function edgeFault<P>(
  summary: string,
  params: z.ZodType<P>,
  plan: (params: P, context: PlanContext) => FaultPlan<Json>,
): FaultDefinition<NetemClient, P, Json> {
  return {
    summary,
    params,
    plan,
    async inject({signal, state: json}) {
      const state = json as unknown as EdgeState
      for (const edge of state.edges) {
        signal.throwIfAborted() // between edges too: what is applied is in the ledger's state and gets reverted
        const current = await rootHandle(edge, signal)
        if (current === null) throw new Error(`${edge.namespace}/${edge.device} does not exist: is the lab up? (the driver creates it when it connects for a run)`)
        if (current === state.handle) await removeRoot(edge, state.handle, signal) // a retried inject replaces
        else if (current !== undefined) throw new Error(`${edge.from}→${edge.to} is already faulted (qdisc ${current}:); netem holds one fault per direction of a pair`)
        await applyEffect(edge, state.handle, state.effect, signal)
      }
    },
    async verify({signal, state: json}) {
      const state = json as unknown as EdgeState
      const missing: string[] = []
      for (const edge of state.edges) {
        for (const problem of await missingEffect(edge, state.handle, state.effect, signal)) missing.push(`${edge.from}→${edge.to}: ${problem}`)
      }
      if (missing.length > 0) return {detail: missing.join('; '), landed: false}
      return {detail: `kernel reports ${describe(state.effect)} on ${state.edges.map((edge) => `${edge.from}→${edge.to}`).join(', ')}`, landed: true}
    },
    async revert({signal, state: json}) {
      const state = json as unknown as EdgeState
      let removed = false
      for (const edge of state.edges) if (await removeRoot(edge, state.handle, signal)) removed = true
      return removed ? 'reverted' : 'already-reverted'
    },
  }
}

const ms = (duration: string): number => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration)
  if (!match) throw new Error(`not a duration: ${duration}`)
  return Math.round(Number(match[1]) * {m: 60_000, ms: 1, s: 1000}[match[2] as 'ms' | 's' | 'm'])
}

export const latency = edgeFault('netem delay (and jitter) on packets from one region to the other', faultSchemas.latency, (step, context) => {
  const edges = edgesFor(context, step.from, step.to, step.direction)
  if (!Array.isArray(edges)) return edges
  const jitterMs = ms(step.jitter)
  return planEdges(context, edges, {latencyMs: ms(step.latency), ...(jitterMs > 0 ? {jitterMs} : {})}, jitterMs > 0 ? ['jitter is uniform within ±jitter, per packet; packets may be reordered'] : [])
})

export const partition = edgeFault('drop every IPv4 packet from one region to the other (TCP handshakes and UDP included)', faultSchemas.partition, (step, context) => {
  const edges = edgesFor(context, step.from, step.to, step.direction)
  return Array.isArray(edges) ? planEdges(context, edges, {drop: 1}) : edges
})

export const bandwidth = edgeFault('limit the rate of packets from one region to the other (tc htb)', faultSchemas.bandwidth, (step, context) => {
  const edges = edgesFor(context, step.from, step.to, step.direction)
  // KB = 1000 bytes, as in the toxiproxy driver: kbit/s = KB/s × 8.
  return Array.isArray(edges) ? planEdges(context, edges, {rateKbit: step.kilobytesPerSecond * 8}, ['the limit is per direction of the pair, shared by every connection']) : edges
})

export const regionOutage = edgeFault('drop every IPv4 packet into and out of a region', faultSchemas['region-outage'], (step, context) => {
  if (step.mode !== 'blackhole') {
    return {
      ok: false,
      reason: `netem drops packets, so an outage is a blackhole; mode ${step.mode} needs connections refused or reset`,
      suggestions: ['Use mode: blackhole with netem', `For mode: ${step.mode}, use the toxiproxy driver`],
    }
  }
  const peers = labNodes(labOf(context), context.topology.regions.map((region) => region.name)).map((node) => node.name)
  if (!peers.includes(step.region) || step.region === 'clients') {
    return {ok: false, reason: `"${step.region}" is not a region of the topology`, suggestions: [`Use one of: ${peers.filter((p) => p !== 'clients').join(', ')}`]}
  }
  const edges = peers.filter((peer) => peer !== step.region).flatMap((peer) => edgesFor(context, step.region, peer, 'both') as Edge[])
  return planEdges(context, edges, {drop: 1})
})

const lossParams = z.strictObject({
  direction: z.enum(['one-way', 'both']).default('both'),
  from: z.string().min(1),
  /** Percentage of IPv4 packets dropped, each independently. */
  percent: z.number().gt(0).max(100),
  to: z.string().min(1),
})

export const loss = edgeFault('drop a percentage of packets from one region to the other, each independently', lossParams, (params, context) => {
  const edges = edgesFor(context, params.from, params.to, params.direction)
  return Array.isArray(edges) ? planEdges(context, edges, {drop: params.percent / 100}) : edges
})
