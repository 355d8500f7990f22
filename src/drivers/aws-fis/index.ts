/**
 * aws-fis: region faults as AWS Fault Injection Service experiments. Each fault compiles to one experiment
 * template per AWS region it acts from (FIS is regional and its isolation is outbound-only), created and
 * started with idempotency tokens from the run id, tagged with the run id and fault id, and stopped on
 * revert. Every action carries the fault's duration, so FIS ends the fault by itself even if rift never
 * returns; the driver's CloudWatch alarms are the experiments' stop conditions.
 *
 * Blast radius: the resources tagged with the topology region's tags, in the regions the fault names,
 * in the account the credentials belong to (checked against guardrails.allowAccounts first).
 *
 * Already reverted looks like: the experiment is completed, stopped, failed or cancelled, or there is none
 * with the fault's tags.
 */
import {defineDriver} from '../define.js'
import {FisDriverClient} from './client.js'
import {fisConfigSchema, type FisConfig} from './config.js'
import {fisAction} from './faults/action.js'
import {latency} from './faults/latency.js'
import {partition} from './faults/partition.js'
import {regionOutage} from './faults/region-outage.js'
import {replicationPause} from './faults/replication-pause.js'

export default defineDriver<FisDriverClient, FisConfig>({
  name: 'aws-fis',
  summary: 'Region faults as AWS Fault Injection Service experiments (cross-region isolation, replication pause, latency, any FIS action).',
  // Stopping waits until FIS says the experiment is over (route tables restored): give it minutes, not seconds.
  capabilities: {blastRadius: 'cloud-account', live: true, resumableRevert: true, revertTimeoutMs: 10 * 60_000},
  config: fisConfigSchema,
  connect: (config) => FisDriverClient.connect(config),
  disconnect: async (client) => client.close(),
  identity: (client, {signal}) => client.identity(signal),
  faults: {
    'region-outage': regionOutage,
    partition,
    'replication-pause': replicationPause,
    latency,
  },
  actions: {action: fisAction},
  probes: {},
  fidelity: [
    'cross-region isolation is outbound-only: a two-way cut runs an experiment in each region',
    'FIS actions last at least one minute: shorter faults are stopped by rift, the server-side limit is PT1M',
    'targets are resolved by tag when each experiment starts',
    'bandwidth and replica corruption have no FIS action; dns-failover is the route53 driver\'s',
  ],
})
