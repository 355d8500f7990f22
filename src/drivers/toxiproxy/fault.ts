/**
 * Every Toxiproxy fault has the same life: compile to operations (pure), apply them in order, read them
 * back, undo them in reverse. Only the compilation differs, so each fault file is just that.
 */
import type {z} from 'zod'

import {errorMessage} from '../../errors.js'
import type {FaultDefinition, FaultPlan, PlanContext} from '../define.js'
import type {ToxiproxyClient} from './client.js'
import type {ToxiproxyConfig} from './config.js'
import {describeOperation, describeTarget, type Operation, type ToxiproxyState} from './operations.js'
import {verifyOperations} from './verify.js'

export type Compiled = {fidelity?: string[]; operations: Operation[]} | {ok: false; reason: string; suggestions?: string[]}

export interface ToxiproxyFaultSpec<P> {
  compile(params: P, context: PlanContext & {config: ToxiproxyConfig | undefined}): Compiled
  params: z.ZodType<P>
  summary: string
}

export function toxiproxyFault<P>(spec: ToxiproxyFaultSpec<P>): FaultDefinition<ToxiproxyClient, P, ToxiproxyState> {
  return {
    params: spec.params,
    summary: spec.summary,
    plan(params, context): FaultPlan<ToxiproxyState> {
      const compiled = spec.compile(params, {...context, config: context.config as ToxiproxyConfig | undefined})
      if ('ok' in compiled) return compiled
      if (compiled.operations.length === 0) return {ok: false, reason: 'no topology link is affected by this fault'}
      // Verification needs the links (to find HTTP ones to measure); plan sees them, so they travel in the state.
      const state: ToxiproxyState = {links: context.topology.links as never, operations: compiled.operations}
      return {
        actions: compiled.operations.map(describeOperation),
        fidelity: compiled.fidelity ?? [],
        ok: true,
        state,
        target: describeTarget(compiled.operations),
      }
    },
    async inject({client, signal, state}) {
      // Checked before each change: an interrupted run stops here, and the engine reverts what was applied.
      for (const operation of state.operations) {
        signal.throwIfAborted()
        await client.apply(operation)
      }
    },
    async verify({client, state}) {
      return verifyOperations(client, state.operations, {links: state.links as never, regions: []})
    },
    async revert({client, state}) {
      let undone = false
      const failures: string[] = []
      // Last applied, first undone; one failure does not stop the others.
      for (const operation of [...state.operations].reverse()) {
        try {
          if (await client.undo(operation)) undone = true
        } catch (error) {
          failures.push(`${operation.proxy}: ${errorMessage(error)}`)
        }
      }
      if (failures.length > 0) throw new Error(`could not undo ${failures.join('; ')}`)
      return undone ? 'reverted' : 'already-reverted'
    },
  }
}
