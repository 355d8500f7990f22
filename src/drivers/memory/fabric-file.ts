/**
 * The shape of the memory fabric: a set of named entries, one per injected fault, each listing its effects on
 * paths. The fabric holds only what was injected, never a copy of the topology, so deleting an entry (or the
 * whole file) always returns the simulated network to normal.
 *
 * Invariant: entry names are `rift-<runId>-<faultId>`, unique per fault of a run, so a revert that removes an
 * entry by name can never remove another run's fault.
 */
import {z} from 'zod'

export const OUTAGE_MODES = ['blackhole', 'reject', 'reset'] as const
export const CORRUPTION_MODES = ['bitflip', 'truncate'] as const

const ends = {
  from: z.string().min(1),
  /** Names of the topology links that carry this path; empty when the path is implicit (no links declared). */
  links: z.array(z.string()),
  to: z.string().min(1),
}

export const pathRefSchema = z.strictObject(ends)
/** An ordered pair of regions (or `clients` → region) and the links that map to it. */
export type PathRef = z.infer<typeof pathRefSchema>

/** What a fault does, tagged by kind; a fault may have several effects (one per path it touches). */
export const effectSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('region-down'),
    mode: z.enum(OUTAGE_MODES),
    /** The concrete paths the plan named; the outage itself covers every path into and out of the region. */
    paths: z.array(pathRefSchema),
    region: z.string().min(1),
  }),
  z.strictObject({...ends, kind: z.literal('cut')}),
  z.strictObject({...ends, jitterMs: z.number().nonnegative(), kind: z.literal('delay'), latencyMs: z.number().nonnegative()}),
  z.strictObject({...ends, kilobytesPerSecond: z.number().positive(), kind: z.literal('throttle')}),
  z.strictObject({...ends, kind: z.literal('pause-replication')}),
  z.strictObject({...ends, kind: z.literal('corrupt'), mode: z.enum(CORRUPTION_MODES), rate: z.number().gt(0).max(1)}),
  z.strictObject({kind: z.literal('drain'), region: z.string().min(1)}),
])
export type Effect = z.infer<typeof effectSchema>
export type EffectKind = Effect['kind']

export const entrySchema = z.strictObject({
  effects: z.array(effectSchema),
  /** The fault kind (`region-outage`) or raw action (`memory.cut-link`) that wrote the entry. */
  fault: z.string().min(1),
  /** When `inject` wrote it; for people reading the file, never used in evaluation. */
  injectedAt: z.string(),
  name: z.string().min(1),
  target: z.string(),
})
export type FabricEntry = z.infer<typeof entrySchema>

export const FABRIC_VERSION = 1

export const fabricFileSchema = z.strictObject({
  entries: z.record(z.string(), entrySchema),
  version: z.literal(FABRIC_VERSION),
})
export type FabricFile = z.infer<typeof fabricFileSchema>

export function emptyFabric(): FabricFile {
  return {entries: {}, version: FABRIC_VERSION}
}
