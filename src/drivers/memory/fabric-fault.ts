/**
 * The life of every memory fault, written once: each fault file only compiles its parameters into effects.
 *
 * plan   → pure: effects, the entry name `rift-<runId>-<faultId>`, concrete actions and fidelity notes.
 * inject → writes the entry (replacing one of the same name, so a retried inject is harmless) and returns the
 *          state enriched with the fabric's location, which the engine ledgers.
 * verify → reads the fabric afresh and checks through the probes' own evaluation (landed.ts).
 * revert → removes the entry by name: 'reverted', or 'already-reverted' when it is not there.
 */
import type {z} from 'zod'

import type {FaultDefinition, PlanContext} from '../define.js'
import type {MemoryFabric} from './client.js'
import {describeEffect, describeTargets} from './describe.js'
import type {Effect, PathRef} from './fabric-file.js'
import {checkLanded} from './landed.js'
import {type Decline, entryName, type Resolved} from './topology.js'

/** What the ledger holds for a memory fault: everything `revert` needs, and what `verify` expects to see. */
export type EntryState = {
  effects: Effect[]
  /** Which fabric was written; null until `inject` ran (the client's own fabric is used then). */
  fabric: string | null
  fault: string
  name: string
  target: string
}

export type Compiled = {effects: Effect[]; fidelity: string[]; ok: true; target: string} | Decline

/** What most faults compile to: one effect on each resolved path, targeted at those paths. */
export function onPaths(resolved: Resolved, effect: (path: PathRef) => Effect, fidelity: string[] = []): Compiled {
  return {effects: resolved.paths.map(effect), fidelity: [...resolved.fidelity, ...fidelity], ok: true, target: describeTargets(resolved.paths)}
}

export interface FabricFaultSpec<P> {
  /** Pure: the same params and context always compile to the same effects. */
  compile(params: P, context: PlanContext): Compiled
  /** The fault kind or `memory.<action>`, recorded on the entry. */
  fault: string
  params: z.ZodType<P>
  summary: string
}

export function defineFabricFault<P>(spec: FabricFaultSpec<P>): FaultDefinition<MemoryFabric, P, EntryState> {
  return {
    params: spec.params,
    summary: spec.summary,
    plan(params, context) {
      const compiled = spec.compile(params, context)
      if (!compiled.ok) return compiled
      const name = entryName(context)
      return {
        actions: compiled.effects.flatMap(describeEffect).map((description) => ({description: `${description} [entry ${name}]`})),
        fidelity: compiled.fidelity,
        ok: true,
        state: {effects: compiled.effects, fabric: null, fault: spec.fault, name, target: compiled.target},
        target: compiled.target,
      }
    },
    async inject({client, log, signal, state}) {
      const fabric = client.at(state.fabric)
      await fabric.put(
        {effects: state.effects, fault: state.fault, injectedAt: new Date().toISOString(), name: state.name, target: state.target},
        signal,
      )
      log.debug(`memory: wrote entry ${state.name} to ${fabric.location}`)
      return {...state, fabric: fabric.location}
    },
    async verify({client, signal, state}) {
      const fabric = client.at(state.fabric)
      return checkLanded(await fabric.snapshot(signal), state.name, state.effects, fabric.location)
    },
    async revert({client, log, signal, state}) {
      const fabric = client.at(state.fabric)
      const removed = await fabric.remove(state.name, signal)
      log.debug(`memory: ${removed ? 'removed' : 'found no'} entry ${state.name} in ${fabric.location}`)
      return removed ? 'reverted' : 'already-reverted'
    },
  }
}
