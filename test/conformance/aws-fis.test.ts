/**
 * The aws-fis driver through the conformance kit, with the real @aws-sdk/client-fis and client-sts against the
 * stateful fakes on loopback. The endpoints travel in the driver's config, so the ledger carries them to the
 * kit's fresh process; the fake credentials are in the environment, which that process inherits.
 * The fakes' state, not the driver's word, then says nothing is left running.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Topology} from '../../src/drivers/define.js'
import awsFis from '../../src/drivers/aws-fis/index.js'
import {formatReport, runConformance} from '../../src/testing/index.js'
import {ACCOUNT, FAKE_CREDENTIALS, FakeFis, FakeSts, useEnv} from '../fakes/aws/index.js'

const TAGS = {east: {'rift-region': 'us-east-1'}, west: {'rift-region': 'eu-west-1'}}
const topology: Topology = {
  links: [],
  regions: [
    {name: 'us-east-1', services: {api: 'api.use1.example.com:443'}, tags: TAGS.east},
    {name: 'eu-west-1', services: {api: 'api.euw1.example.com:443'}, tags: TAGS.west},
  ],
}

let fis: FakeFis
let sts: FakeSts
let restoreEnv: () => void

beforeAll(async () => {
  // FIS's shortest action (PT1M) lasts ten minutes here: nothing ends by itself while the kit runs, however
  // loaded the machine, so every stop is rift's.
  fis = await new FakeFis({account: ACCOUNT, timeScale: 10, timing: {initiatingMs: 20, stoppingMs: 20}}).start()
  sts = await new FakeSts(ACCOUNT).start()
  // Credentials only: no AWS_ENDPOINT_URL_*, so the child can reach the fakes only through the ledgered config.
  restoreEnv = useEnv({...FAKE_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true'})
  for (const [region, tags] of [['us-east-1', TAGS.east], ['eu-west-1', TAGS.west]] as const) {
    fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${region}-a`, region, tags, type: 'aws:ec2:subnet'})
    fis.addResource({arn: `arn:aws:s3:::bucket-${region}`, region, tags, type: 'aws:s3:bucket'})
    fis.addResource({arn: `arn:aws:dynamodb:${region}:${ACCOUNT}:table/orders`, region, tags, type: 'aws:dynamodb:global-table'})
    fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${region}`, region, tags, type: 'aws:ec2:instance'})
  }
})
afterAll(async () => {
  restoreEnv()
  await Promise.all([fis.close(), sts.close()])
})

it('the aws-fis driver passes the conformance kit against the FIS and STS fakes', async () => {
  const report = await runConformance(awsFis, {
    allowAccounts: [ACCOUNT],
    config: {
      endpoints: {fis: fis.url, sts: sts.url},
      maxAttempts: 2,
      pollInterval: '50ms',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/rift-fis`,
      startTimeout: '20s',
      stopConditions: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:checkout-p99`],
    },
    declined: [
      {fault: 'bandwidth', from: 'us-east-1', kilobytesPerSecond: 100, to: 'eu-west-1'}, // no FIS action
      {fault: 'replica-corruption', from: 'us-east-1', to: 'eu-west-1'},
      {fault: 'dns-failover', region: 'us-east-1'}, // the route53 driver's
      {fault: 'region-outage', mode: 'reject', region: 'us-east-1'}, // FIS isolation only drops
      {duration: '13h', fault: 'region-outage', region: 'us-east-1'}, // FIS actions last at most 12 hours
      {fault: 'partition', from: 'us-east-1', to: 'us-east-1'}, // FIS isolates between AWS regions
      {fault: 'latency', from: 'us-east-1', latency: '100ms', to: 'mars'},
      {action: 'aws-fis.action', params: {actionId: 'aws:fis:wait', region: 'mars'}},
    ],
    faults: [
      {fault: 'region-outage', region: 'us-east-1'},
      {direction: 'both', fault: 'partition', from: 'us-east-1', to: 'eu-west-1'},
      {fault: 'latency', from: 'us-east-1', latency: '100ms', to: 'eu-west-1'},
      {fault: 'replication-pause', from: 'us-east-1', to: 'eu-west-1'},
      {action: 'aws-fis.action', params: {actionId: 'aws:network:disrupt-connectivity', parameters: {scope: 'all'}, region: 'eu-west-1', targets: {Subnets: {resourceType: 'aws:ec2:subnet'}}}},
    ],
    module: new URL('../../src/drivers/aws-fis/index.ts', import.meta.url),
    timeoutMs: 60_000,
    topology,
  })
  expect(report.failures, formatReport(report)).toEqual([])
  expect(report.checks.filter((check) => check.status === 'skipped'), formatReport(report)).toEqual([])
  expect(report.checks.find((check) => check.name === 'a live driver says which account it acts in')?.detail).toContain(ACCOUNT)
  expect(report.checks.filter((check) => check.name === 'revert from the ledger in a fresh process' && check.status === 'passed')).toHaveLength(5)

  // The fakes' own state: every experiment the kit started was stopped (none ran out its minute), and no template is left.
  const experiments = fis.list()
  expect(experiments.length).toBeGreaterThanOrEqual(10) // main and fresh-process inject for each of five faults
  expect(experiments.filter((experiment) => experiment.status !== 'stopped').map((e) => `${e.id} ${e.region} ${e.status}`)).toEqual([])
  expect(fis.calls('StopExperiment').length).toBeGreaterThanOrEqual(experiments.length)
  // One template per experiment: the injects given an aborted signal created nothing.
  const tokens = new Set(fis.calls('CreateExperimentTemplate').map((request) => (JSON.parse(request.body) as {clientToken: string}).clientToken))
  expect(tokens.size).toBe(experiments.length)
  expect([...fis.templates.values()].map((template) => template.id)).toEqual([])
  // The fresh process reached STS too: the ledgered account was checked before it reverted.
  expect(sts.calls('GetCallerIdentity').length).toBeGreaterThanOrEqual(1 + 5) // the kit once, each child once
}, 300_000)
