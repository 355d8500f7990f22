/**
 * How the fabric's entries combine on one path. The probes and `verify` both go through `evaluatePath`, so a
 * fault that verify calls landed is exactly what a probe sees, and the other way round.
 *
 * Combination rules: any cut or outage makes a path unreachable; latency and jitter add up (chained delays);
 * the tightest bandwidth limit wins; corruption entries are listed, not merged.
 */
import {CLIENTS} from '../../experiment/schema.js'
import type {Effect, FabricFile} from './fabric-file.js'

export type ActiveEffect = {
  effect: Effect
  /** The entry (`rift-<runId>-<faultId>`) the effect belongs to. */
  entry: string
}

/** What a probe sees on one path. A type alias, not an interface, so it is assignable to `Json`. */
export type PathState = {
  bandwidthKbps: number | null
  corruption: {entry: string; mode: string; rate: number}[]
  /** Clients are no longer routed to the destination region by DNS; direct connections still work. */
  drained: boolean
  effects: ActiveEffect[]
  from: string
  jitterMs: number
  latencyMs: number
  reachable: boolean
  replicationPaused: boolean
  to: string
}

/** Whether `effect` acts on the path from → to. */
export function affects(effect: Effect, from: string, to: string): boolean {
  switch (effect.kind) {
    case 'region-down': {
      return from === effect.region || to === effect.region
    }
    case 'drain': {
      return from === CLIENTS && to === effect.region
    }
    case 'cut':
    case 'delay':
    case 'throttle':
    case 'pause-replication':
    case 'corrupt': {
      return effect.from === from && effect.to === to
    }
  }
}

export function evaluatePath(fabric: FabricFile, from: string, to: string): PathState {
  const state: PathState = {
    bandwidthKbps: null,
    corruption: [],
    drained: false,
    effects: [],
    from,
    jitterMs: 0,
    latencyMs: 0,
    reachable: true,
    replicationPaused: false,
    to,
  }
  for (const entry of Object.values(fabric.entries)) {
    for (const effect of entry.effects) {
      if (!affects(effect, from, to)) continue
      state.effects.push({effect, entry: entry.name})
      apply(state, effect, entry.name)
    }
  }
  return state
}

function apply(state: PathState, effect: Effect, entry: string): void {
  switch (effect.kind) {
    case 'region-down':
    case 'cut': {
      state.reachable = false
      return
    }
    case 'delay': {
      state.latencyMs += effect.latencyMs
      state.jitterMs += effect.jitterMs
      return
    }
    case 'throttle': {
      state.bandwidthKbps = Math.min(state.bandwidthKbps ?? Number.POSITIVE_INFINITY, effect.kilobytesPerSecond)
      return
    }
    case 'pause-replication': {
      state.replicationPaused = true
      return
    }
    case 'corrupt': {
      state.corruption.push({entry, mode: effect.mode, rate: effect.rate})
      return
    }
    case 'drain': {
      state.drained = true
      return
    }
  }
}
