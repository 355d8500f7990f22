/**
 * netem: regions as Linux network namespaces joined by veth pairs, faults as tc qdiscs on the veths — at the
 * packet level, so UDP, packet loss and the TCP handshake are all in reach (what a TCP proxy cannot do).
 *
 * Blast radius: `host` — the lab's namespaces on this machine; nothing in the host's own namespace changes.
 * Already reverted looks like: the edge's root qdisc is not this fault's handle (or the namespace is gone).
 */
import {defineDriver} from 'rift/sdk'

import {bandwidth, latency, loss, type NetemClient, type NetemConfig, netemConfigSchema, partition, regionOutage} from './faults.js'
import {createLab, destroyLab} from './lab.js'
import {assertCanManageNetwork} from './privileges.js'

type Client = NetemClient & {created: boolean; keep: boolean; regions: string[]}

export default defineDriver<Client, NetemConfig>({
  name: 'netem',
  summary: 'Regions as network namespaces joined by veth pairs; latency, jitter, loss, partitions and bandwidth with tc (needs root).',
  capabilities: {blastRadius: 'host', live: false, resumableRevert: true},
  config: netemConfigSchema,
  async connect(config, {signal, topology}) {
    await assertCanManageNetwork(signal)
    const regions = topology?.regions.map((region) => region.name) ?? []
    // A run brings its topology and gets its lab; `rift rollback` connects without one and only removes qdiscs.
    const created = topology ? await createLab(config.lab, regions, signal) : false
    return {created, keep: config.keep, lab: config.lab, regions}
  },
  async disconnect(client) {
    if (client.created && !client.keep) await destroyLab(client.lab, client.regions)
  },
  faults: {'region-outage': regionOutage, latency, partition, bandwidth},
  actions: {loss},
  probes: {},
  fidelity: [
    'faults act on the lab: processes must run inside its namespaces (ip netns exec rift-<lab>-<region> …) and talk to the 198.18.0.x addresses',
    'latency and jitter need the kernel netem qdisc (sch_netem); loss, partitions, outages and bandwidth need only htb and cls_bpf',
    'drops apply to IPv4 packets only; ARP passes, so one-way partitions stay one-way',
    'one fault per direction of a pair at a time: a second fault on the same edge fails to inject',
    'region-outage is a blackhole (packets dropped); reject and reset are declined',
  ],
})
