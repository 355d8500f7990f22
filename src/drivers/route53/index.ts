/**
 * route53: drain a region from DNS. Per region, the driver's config names how: invert the region's health
 * check (with the HealthCheckVersion just read), or set its weighted record to weight 0 (UPSERT from an
 * exact before-image). Never through `Disabled`, which Route 53 treats as always healthy. Before-images
 * are ledgered before any change; revert puts them back and waits until the change is INSYNC.
 *
 * Blast radius: the named health check or record, and so every client that resolves the name.
 *
 * Already reverted looks like: the health check is not inverted (or is gone), or the record equals its
 * before-image; a state without a before-image changed nothing.
 */
import {defineDriver} from '../define.js'
import {Route53DriverClient} from './client.js'
import {route53ConfigSchema, type Route53Config} from './config.js'
import {invertHealthCheckAction, zeroWeightAction} from './faults/actions.js'
import {dnsFailover} from './faults/dns-failover.js'
import {dnsAnswerProbe, healthCheckProbe} from './probes.js'

export default defineDriver<Route53DriverClient, Route53Config>({
  name: 'route53',
  summary: 'Drain a region from DNS through Route 53: invert its health check or zero its weighted record, with before-images.',
  // A restore waits until the change is INSYNC on every Route 53 name server.
  capabilities: {blastRadius: 'cloud-account', live: true, resumableRevert: true, revertTimeoutMs: 5 * 60_000},
  config: route53ConfigSchema,
  connect: (config) => Route53DriverClient.connect(config),
  disconnect: async (client) => client.close(),
  identity: (client, {signal}) => client.identity(signal),
  faults: {'dns-failover': dnsFailover},
  actions: {'invert-health-check': invertHealthCheckAction, 'zero-weight': zeroWeightAction},
  probes: {'health-check': healthCheckProbe, 'dns-answer': dnsAnswerProbe},
  fidelity: [
    'DNS moves traffic only as fast as health checks are evaluated and resolvers\' caches expire (TTL)',
    'ARC routing controls are not driven yet: use a RECOVERY_CONTROL health check with invert-health-check',
    'Route 53 has no server-side duration: if rift dies, the drain stays until `rift rollback`',
  ],
})
