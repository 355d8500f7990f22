/**
 * What the fabric looks like from a path. Each probe reads the fabric afresh (another process may have just
 * injected or reverted) and evaluates through evaluate.ts, the same logic `verify` uses.
 */
import {z} from 'zod'

import type {ProbeDefinition} from '../define.js'
import type {MemoryFabric} from './client.js'
import {evaluatePath} from './evaluate.js'

export const pathParams = z.strictObject({
  /** A region, or `clients`. */
  from: z.string().min(1),
  to: z.string().min(1),
})
export type PathParams = z.infer<typeof pathParams>

/** `memory.reachable {from, to}` → boolean: false while any fault cuts the path or takes either end's region out. */
export const reachable: ProbeDefinition<MemoryFabric, PathParams> = {
  params: pathParams,
  summary: 'Whether traffic from → to gets through (false while a cut or outage is in force).',
  async run({client, params, signal}) {
    return evaluatePath(await client.snapshot(signal), params.from, params.to).reachable
  },
}

/** `memory.latency {from, to}` → number: milliseconds added to the path, jitter excluded. */
export const latency: ProbeDefinition<MemoryFabric, PathParams> = {
  params: pathParams,
  summary: 'Milliseconds of latency faults add to from → to (jitter excluded).',
  async run({client, params, signal}) {
    return evaluatePath(await client.snapshot(signal), params.from, params.to).latencyMs
  },
}

/** `memory.path {from, to}` → object: every active effect on the path and what they add up to. */
export const path: ProbeDefinition<MemoryFabric, PathParams> = {
  params: pathParams,
  summary: 'Every active effect on from → to: reachable, latency, bandwidth, replication, corruption, drained.',
  async run({client, params, signal}) {
    return evaluatePath(await client.snapshot(signal), params.from, params.to)
  },
}

/** `memory.active-faults` → number of entries in the fabric; 0 after a clean rollback. */
export const activeFaults: ProbeDefinition<MemoryFabric, Record<string, never>> = {
  params: z.strictObject({}),
  summary: 'How many faults are in force in the fabric (0 after a complete rollback).',
  async run({client, signal}) {
    return Object.keys((await client.snapshot(signal)).entries).length
  },
}
