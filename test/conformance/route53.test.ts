/**
 * The route53 driver through the conformance kit, with the real @aws-sdk/client-route-53 and client-sts against
 * the stateful fakes on loopback: both ways of draining (a health check inverted, a weighted record at weight 0)
 * and both raw actions. The endpoints travel in the driver's config, so the ledger carries them to the kit's
 * fresh process; the fake credentials are in the environment, which that process inherits. The fakes' state
 * then says every health check and weight is as it was.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Topology} from '../../src/drivers/define.js'
import route53 from '../../src/drivers/route53/index.js'
import {formatReport, runConformance} from '../../src/testing/index.js'
import {ACCOUNT, FAKE_CREDENTIALS, FakeRoute53, FakeSts, useEnv} from '../fakes/aws/index.js'

const ZONE = 'Z0123456789ABCDEFGHIJ'
const HC = {action: 'cccccccc-2222-3333-4444-555555555555', east: 'aaaaaaaa-2222-3333-4444-555555555555', west: 'bbbbbbbb-2222-3333-4444-555555555555'}
const topology: Topology = {
  links: [],
  regions: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((name) => ({name, services: {}, tags: {}})),
}

let r53: FakeRoute53
let sts: FakeSts
let restoreEnv: () => void

beforeAll(async () => {
  r53 = await new FakeRoute53().start()
  sts = await new FakeSts(ACCOUNT).start()
  // Credentials only: no AWS_ENDPOINT_URL_*, so the child can reach the fakes only through the ledgered config.
  restoreEnv = useEnv({...FAKE_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true'})
  r53.insyncAfterPolls = 2 // every change is PENDING once: the driver must wait for INSYNC
  r53.addZone(ZONE, 'example.com')
  r53.addHealthCheck(HC.east, {fqdn: 'api-use1.example.com'}).addHealthCheck(HC.west, {fqdn: 'api-euw1.example.com'}).addHealthCheck(HC.action, {fqdn: 'api-aps1.example.com'})
  const weighted = (setIdentifier: string, value: string, weight: string, healthCheck: string) =>
    r53.addRecord(ZONE, {HealthCheckId: healthCheck, Name: 'www.example.com', ResourceRecords: {ResourceRecord: [{Value: value}]}, SetIdentifier: setIdentifier, TTL: '60', Type: 'A', Weight: weight})
  weighted('us-east-1', '192.0.2.10', '200', HC.east)
  weighted('eu-west-1', '198.51.100.10', '100', HC.west)
  weighted('ap-south-1', '203.0.113.10', '50', HC.action)
})
afterAll(async () => {
  restoreEnv()
  await Promise.all([r53.close(), sts.close()])
})

it('the route53 driver passes the conformance kit against the Route 53 and STS fakes', async () => {
  const recordsBefore = r53.records(ZONE)
  const report = await runConformance(route53, {
    allowAccounts: [ACCOUNT],
    config: {
      endpoints: {route53: r53.url, sts: sts.url},
      maxAttempts: 2,
      pollInterval: '50ms',
      regions: {
        'eu-west-1': {weightedRecord: {hostedZoneId: ZONE, name: 'www.example.com', setIdentifier: 'eu-west-1'}},
        'us-east-1': {healthCheck: HC.east},
      },
      syncTimeout: '20s',
    },
    declined: [
      {fault: 'dns-failover', region: 'ap-south-1'}, // the config does not say how to drain it
      {fault: 'region-outage', region: 'us-east-1'}, // not a DNS fault
      {fault: 'partition', from: 'us-east-1', to: 'eu-west-1'},
    ],
    faults: [
      {fault: 'dns-failover', region: 'us-east-1'},
      {fault: 'dns-failover', region: 'eu-west-1'},
      {action: 'route53.invert-health-check', params: {healthCheckId: HC.action}},
      {action: 'route53.zero-weight', params: {hostedZoneId: ZONE, name: 'www.example.com', setIdentifier: 'ap-south-1'}},
    ],
    module: new URL('../../src/drivers/route53/index.ts', import.meta.url),
    timeoutMs: 60_000,
    topology,
  })
  expect(report.failures, formatReport(report)).toEqual([])
  expect(report.checks.filter((check) => check.status === 'skipped'), formatReport(report)).toEqual([])
  expect(report.checks.find((check) => check.name === 'a live driver says which account it acts in')?.detail).toContain(ACCOUNT)
  expect(report.checks.filter((check) => check.name === 'revert from the ledger in a fresh process' && check.status === 'passed')).toHaveLength(4)
  // Both ways of draining really ran: one verify saw an inverted check, one a zero weight.
  const landed = report.checks.filter((check) => check.name === 'inject then verify shows the fault').map((check) => check.detail)
  expect(landed.some((detail) => detail.includes(`health check ${HC.east} inverted`))).toBe(true)
  expect(landed.some((detail) => /www\.example\.com A \(eu-west-1\) .* has weight 0/.test(detail))).toBe(true)

  // The fakes' own state: no health check left inverted, every record exactly as before, every change INSYNC.
  for (const id of Object.values(HC)) expect(r53.healthCheck(id).config.Inverted, id).toBe('false')
  // Inverted and restored twice (main lifecycle, fresh process), and never touched by the aborted inject.
  for (const id of [HC.east, HC.action]) expect(r53.healthCheck(id).version, id).toBe(5)
  expect(r53.records(ZONE)).toEqual(recordsBefore)
  expect([...r53.changes.values()].filter((change) => change.status !== 'INSYNC')).toEqual([])
  expect(r53.calls('ChangeResourceRecordSets')).toHaveLength(8) // zero then restore, main and fresh, for two records
  // The fresh process reached STS too: the ledgered account was checked before it reverted.
  expect(sts.calls('GetCallerIdentity').length).toBeGreaterThanOrEqual(1 + 4) // the kit once, each child once
}, 300_000)

it('a live driver holding credentials for an account outside allowAccounts is refused before anything changes', async () => {
  sts.setIdentity('999999999999')
  const updates = r53.calls('UpdateHealthCheck').length
  try {
    const report = await runConformance(route53, {
      allowAccounts: [ACCOUNT],
      config: {endpoints: {route53: r53.url, sts: sts.url}, pollInterval: '50ms', regions: {'us-east-1': {healthCheck: HC.east}}},
      faults: [{fault: 'dns-failover', region: 'us-east-1'}],
      topology,
    })
    expect(report.passed).toBe(false)
    expect(report.failures.map((check) => check.name)).toEqual(['a live driver says which account it acts in'])
    expect(report.failures[0]?.detail).toContain('999999999999')
    expect(r53.calls('UpdateHealthCheck').length).toBe(updates)
    expect(r53.healthCheck(HC.east).config.Inverted).toBe('false')
  } finally {
    sts.reset()
  }
}, 60_000)
