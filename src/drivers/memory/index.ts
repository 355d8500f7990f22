/**
 * memory: a simulated multi-region network fabric, the reference driver. Engine tests and the bundled example
 * experiment run on it; plugin authors can read it as a worked example of the driver SDK.
 *
 * What it does to the target: nothing outside rift. Each fault adds a named entry (`rift-<runId>-<faultId>`) to
 * a fabric (a JSON file under the state folder, or `:memory:` for this process alone) describing its effect on
 * paths; the driver's probes evaluate those entries. No packet moves, so it cannot tell how a real system
 * behaves — it exercises experiments, the engine and rollback, for real, across processes.
 *
 * Blast radius: `process` — the fabric file and the processes that read it.
 *
 * Already reverted looks like: no entry of that name in the fabric (a missing file is an empty fabric).
 * `revert` then returns 'already-reverted'; it never fails because something is already gone.
 */
import {defineDriver} from '../define.js'
import {cutLink} from './actions/cut-link.js'
import {delayLink} from './actions/delay-link.js'
import {connectFabric, type MemoryConfig, memoryConfigSchema, type MemoryFabric} from './client.js'
import {bandwidth} from './faults/bandwidth.js'
import {dnsFailover} from './faults/dns-failover.js'
import {latency} from './faults/latency.js'
import {partition} from './faults/partition.js'
import {regionOutage} from './faults/region-outage.js'
import {replicaCorruption} from './faults/replica-corruption.js'
import {replicationPause} from './faults/replication-pause.js'
import {activeFaults, latency as latencyProbe, path, reachable} from './probes.js'

export default defineDriver<MemoryFabric, MemoryConfig>({
  name: 'memory',
  summary: 'A simulated multi-region network fabric in a file: real state, real reverts, no packets.',
  capabilities: {blastRadius: 'process', live: false, resumableRevert: true},
  config: memoryConfigSchema,
  connect: (config, context) => connectFabric(config, context),

  faults: {
    'region-outage': regionOutage,
    latency,
    partition,
    bandwidth,
    'replication-pause': replicationPause,
    'replica-corruption': replicaCorruption,
    'dns-failover': dnsFailover,
  },
  actions: {
    'cut-link': cutLink,
    'delay-link': delayLink,
  },
  probes: {
    reachable,
    latency: latencyProbe,
    path,
    'active-faults': activeFaults,
  },

  fidelity: [
    'simulated: faults change what the memory probes report, and nothing else; no traffic is delayed or dropped',
    'faults act on paths (ordered region pairs), not single links: links sharing a from→to pair are faulted together',
    'jitter, outage modes and corruption rates are recorded and reported, not sampled or enacted',
    'faults never expire on their own: an entry stays in the fabric until reverted (or the file is deleted)',
  ],
})

export {MemoryFabric, memoryConfigSchema, openFabric, type MemoryConfig} from './client.js'
export {evaluatePath, type PathState} from './evaluate.js'
export type {EntryState} from './fabric-fault.js'
