/**
 * `verify` for every memory fault: read the fabric afresh and check, path by path, that the probes would show
 * each planned effect and attribute it to this fault's entry. Seeing only the effect (say, a path unreachable
 * because of another fault) is not enough: that would let a fault that did not land pass.
 */
import {CLIENTS} from '../../experiment/schema.js'
import type {Verification} from '../define.js'
import {describeEnds} from './describe.js'
import {evaluatePath, type PathState} from './evaluate.js'
import type {Effect, FabricFile, PathRef} from './fabric-file.js'

export function checkLanded(fabric: FabricFile, name: string, effects: readonly Effect[], location: string): Verification {
  if (!(name in fabric.entries)) return {detail: `entry ${name} is not in the fabric ${location}`, landed: false}
  const seen: string[] = []
  for (const effect of effects) {
    for (const path of observablePaths(effect)) {
      const state = evaluatePath(fabric, path.from, path.to)
      const attributed = state.effects.some((active) => active.entry === name && active.effect.kind === effect.kind)
      const problem = attributed ? shortfall(effect, state) : `no effect of ${name} on it`
      const where = describeEnds(path.from, path.to)
      if (problem !== undefined) return {detail: `${where}: ${problem}`, landed: false}
      seen.push(`${where} ${observed(effect, state)}`)
    }
  }
  return {detail: `observed: ${seen.join('; ')}`, landed: true}
}

/** The paths on which a probe can observe an effect. */
function observablePaths(effect: Effect): PathRef[] {
  switch (effect.kind) {
    case 'region-down': {
      return effect.paths
    }
    case 'drain': {
      return [{from: CLIENTS, links: [], to: effect.region}]
    }
    case 'cut':
    case 'delay':
    case 'throttle':
    case 'pause-replication':
    case 'corrupt': {
      return [effect]
    }
  }
}

/** What the probe shows that falls short of the effect, or undefined when it shows it in full. */
function shortfall(effect: Effect, state: PathState): string | undefined {
  switch (effect.kind) {
    case 'region-down':
    case 'cut': {
      return state.reachable ? 'expected unreachable, the reachable probe says reachable' : undefined
    }
    case 'delay': {
      return state.latencyMs >= effect.latencyMs ? undefined : `expected at least ${effect.latencyMs}ms added, the latency probe says ${state.latencyMs}ms`
    }
    case 'throttle': {
      const limit = state.bandwidthKbps
      return limit !== null && limit <= effect.kilobytesPerSecond ? undefined : `expected a limit of ${effect.kilobytesPerSecond} KB/s, the path probe says ${limit ?? 'none'}`
    }
    case 'pause-replication': {
      return state.replicationPaused ? undefined : 'expected replication paused, the path probe says flowing'
    }
    case 'corrupt': {
      return state.corruption.length > 0 ? undefined : 'expected corruption, the path probe shows none'
    }
    case 'drain': {
      return state.drained ? undefined : 'expected drained, the path probe says routed'
    }
  }
}

function observed(effect: Effect, state: PathState): string {
  switch (effect.kind) {
    case 'region-down':
    case 'cut': {
      return 'unreachable'
    }
    case 'delay': {
      return `+${state.latencyMs}ms`
    }
    case 'throttle': {
      return `${state.bandwidthKbps ?? 0} KB/s`
    }
    case 'pause-replication': {
      return 'replication paused'
    }
    case 'corrupt': {
      return `corrupting (${effect.mode}, rate ${effect.rate})`
    }
    case 'drain': {
      return 'drained'
    }
  }
}
