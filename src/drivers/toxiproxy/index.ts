/**
 * toxiproxy: region faults through a Toxiproxy-compatible server — rift's embedded one when no url is
 * configured, `rift proxy`, or a real Toxiproxy 2.x. Each topology link is a proxy of the same name;
 * faults become toxics on those proxies or disabled proxies.
 *
 * Blast radius: only traffic that goes through the proxies. On a rift server every fault is held under a
 * lease, so if the runner dies the server reverts it by itself within the lease time.
 *
 * Already reverted looks like: the proxy or the toxic is not found (HTTP 404), or the proxy is enabled.
 */
import {defineDriver} from '../define.js'
import {ToxiproxyClient} from './client.js'
import {toxiproxyConfigSchema, type ToxiproxyConfig} from './config.js'
import {bandwidth} from './faults/bandwidth.js'
import {latency} from './faults/latency.js'
import {partition} from './faults/partition.js'
import {regionOutage} from './faults/region-outage.js'
import {replicaCorruption} from './faults/replica-corruption.js'
import {replicationPause} from './faults/replication-pause.js'
import {toxicAction} from './faults/toxic-action.js'
import {proxyProbe} from './probes.js'

export default defineDriver<ToxiproxyClient, ToxiproxyConfig>({
  name: 'toxiproxy',
  summary: 'Region faults as toxics on a Toxiproxy-compatible server (embedded, `rift proxy`, or a real Toxiproxy).',
  capabilities: {blastRadius: 'network', live: false, resumableRevert: true},
  config: toxiproxyConfigSchema,
  connect: (config, context) => ToxiproxyClient.connect(config, context),
  disconnect: (client) => client.close(),
  faults: {
    'region-outage': regionOutage,
    latency,
    partition,
    bandwidth,
    'replication-pause': replicationPause,
    'replica-corruption': replicaCorruption,
  },
  actions: {toxic: toxicAction},
  probes: {proxy: proxyProbe},
  fidelity: [
    'TCP only: no UDP, no packet loss, and the TCP handshake cannot be delayed or dropped',
    'faults act per connection: bandwidth limits and toxicity apply to each connection separately',
    'dns-failover is not a proxy fault: use a DNS driver such as route53',
    'a real Toxiproxy has no leases: if the runner dies, run `rift rollback` (rift servers revert by themselves)',
  ],
})
