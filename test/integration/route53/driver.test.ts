/**
 * The route53 driver through the real @aws-sdk/client-route-53 (3.523.0, restXml) against the stateful
 * fake: health checks with versions, transactional change batches, INSYNC after polls, and TestDNSAnswer
 * computed from the fake's health, so a drain is seen where clients would see it.
 */
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import type {FaultDefinition, Topology} from '../../../src/drivers/define.js'
import type {Route53DriverClient} from '../../../src/drivers/route53/client.js'
import type {DrainState} from '../../../src/drivers/route53/faults/drain.js'
import route53 from '../../../src/drivers/route53/index.js'
import {faultSchemas} from '../../../src/experiment/schema.js'
import {FakeRoute53} from '../../fakes/aws/route53.js'
import {FAKE_CREDENTIALS, useEnv} from '../../fakes/aws/index.js'

const ZONE = 'Z0123456789ABCDEFGHIJ'
const HC_EAST = 'abcdef11-2222-3333-4444-555555555555'
const HC_WEST = 'bbbbbbbb-2222-3333-4444-555555555555'
const topology: Topology = {links: [], regions: [{name: 'us-east-1', services: {}, tags: {}}, {name: 'eu-west-1', services: {}, tags: {}}]}

let fake: FakeRoute53
let restoreEnv: () => void
const warnings: string[] = []
const log = {debug: () => {}, info: () => {}, warn: (message: string) => void warnings.push(message)}
const clients: Route53DriverClient[] = []

beforeAll(async () => {
  fake = await new FakeRoute53().start()
  restoreEnv = useEnv({...FAKE_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_ROUTE_53: fake.url})
})
afterAll(async () => {
  restoreEnv()
  await fake.close()
})
beforeEach(() => {
  fake.reset()
  fake.insyncAfterPolls = 2
  warnings.length = 0
  fake.addZone(ZONE, 'example.com')
  fake.addHealthCheck(HC_EAST, {fqdn: 'api-use1.example.com'}).addHealthCheck(HC_WEST, {fqdn: 'api-euw1.example.com'})
  // Active-passive: failover records on api, weighted (active-active) on www.
  fake.addRecord(ZONE, {Failover: 'PRIMARY', HealthCheckId: HC_EAST, Name: 'api.example.com', ResourceRecords: {ResourceRecord: [{Value: '192.0.2.10'}]}, SetIdentifier: 'us-east-1', TTL: '60', Type: 'A'})
  fake.addRecord(ZONE, {Failover: 'SECONDARY', HealthCheckId: HC_WEST, Name: 'api.example.com', ResourceRecords: {ResourceRecord: [{Value: '198.51.100.10'}]}, SetIdentifier: 'eu-west-1', TTL: '60', Type: 'A'})
  fake.addRecord(ZONE, {HealthCheckId: HC_EAST, Name: 'www.example.com', ResourceRecords: {ResourceRecord: [{Value: '192.0.2.10'}]}, SetIdentifier: 'us-east-1', TTL: '60', Type: 'A', Weight: '200'})
  fake.addRecord(ZONE, {HealthCheckId: HC_WEST, Name: 'www.example.com', ResourceRecords: {ResourceRecord: [{Value: '198.51.100.10'}]}, SetIdentifier: 'eu-west-1', TTL: '60', Type: 'A', Weight: '100'})
})
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

const regions = {
  'eu-west-1': {weightedRecord: {hostedZoneId: ZONE, name: 'www.example.com', setIdentifier: 'eu-west-1'}},
  'us-east-1': {healthCheck: HC_EAST},
}

function config(extra: Record<string, unknown> = {}) {
  return route53.config.parse({maxAttempts: 1, pollInterval: '5ms', regions, syncTimeout: '5s', ...extra})
}

async function connect(extra: Record<string, unknown> = {}): Promise<Route53DriverClient> {
  const client = (await route53.connect(config(extra), {log, signal: AbortSignal.timeout(5000), stateDir: '/tmp'})) as Route53DriverClient
  clients.push(client)
  return client
}

function plan(region: string, extra: Record<string, unknown> = {}) {
  const definition = route53.faults['dns-failover'] as FaultDefinition<Route53DriverClient, unknown, DrainState>
  const result = definition.plan(faultSchemas['dns-failover'].parse({duration: '1m', fault: 'dns-failover', region}), {config: config(extra), faultId: 'f1', runId: 'r1', topology})
  if (!result.ok) throw new Error(result.reason)
  return {definition, state: result.state, result}
}

const context = (client: Route53DriverClient, state: DrainState, extra: Partial<{checkpoint: (state: DrainState) => Promise<void>}> = {}) => ({client, log, signal: AbortSignal.timeout(10_000), state, ...extra})

async function answer(client: Route53DriverClient, name: string): Promise<unknown> {
  return route53.probes['dns-answer']!.run({client, log, params: route53.probes['dns-answer']!.params.parse({hostedZoneId: ZONE, recordName: name}), signal: AbortSignal.timeout(5000)})
}

describe('route53: drain by inverting the region\'s health check', () => {
  it('ledgers the before-image first, inverts with the version read, fails over DNS, and restores', async () => {
    const client = await connect()
    expect(await answer(client, 'api.example.com')).toEqual({answers: ['192.0.2.10'], responseCode: 'NOERROR'})
    const {definition, result, state} = plan('us-east-1')
    expect(result.actions[0]!.description).toMatch(/invert Route 53 health check abcdef11/)
    const checkpoints: DrainState[] = []
    const injected = (await definition.inject(context(client, state, {checkpoint: async (next) => void checkpoints.push(structuredClone(next))}))) as DrainState
    expect(checkpoints).toEqual([expect.objectContaining({before: {inverted: false, version: 1}})])
    expect(fake.calls('UpdateHealthCheck')[0]!.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><UpdateHealthCheckRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HealthCheckVersion>1</HealthCheckVersion><Inverted>true</Inverted></UpdateHealthCheckRequest>`,
    )
    expect(fake.healthCheck(HC_EAST)).toMatchObject({config: expect.objectContaining({Disabled: 'false', Inverted: 'true'}), version: 2})
    expect(injected).toMatchObject({version: 2})
    expect(await definition.verify!(context(client, injected))).toMatchObject({landed: true})
    expect(await answer(client, 'api.example.com')).toEqual({answers: ['198.51.100.10'], responseCode: 'NOERROR'})
    const probe = await route53.probes['health-check']!.run({client, log, params: {healthCheckId: HC_EAST}, signal: AbortSignal.timeout(5000)})
    expect(probe).toEqual({checkers: 3, checkersHealthy: 3, disabled: false, endpointHealthy: true, healthy: false, inverted: true, version: 2})

    expect(await definition.revert(context(client, injected))).toBe('reverted')
    expect(fake.healthCheck(HC_EAST)).toMatchObject({config: expect.objectContaining({Inverted: 'false'}), version: 3})
    expect(await answer(client, 'api.example.com')).toEqual({answers: ['192.0.2.10'], responseCode: 'NOERROR'})
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
    expect(fake.calls('UpdateHealthCheck').every((request) => !request.body.includes('<Disabled>'))).toBe(true)
  })

  it('on a version mismatch re-reads and retries, never overwriting blindly', async () => {
    const client = await connect()
    const {definition, state} = plan('us-east-1')
    fake.before('UpdateHealthCheck', () => {
      fake.before('UpdateHealthCheck', () => {})
      fake.touchHealthCheck(HC_EAST, {FailureThreshold: '5'}) // someone else, between rift's read and its update
    })
    const injected = (await definition.inject(context(client, state))) as DrainState
    const updates = fake.calls('UpdateHealthCheck')
    expect(updates.map((request) => /<HealthCheckVersion>(\d+)/.exec(request.body)![1])).toEqual(['1', '2'])
    expect(fake.healthCheck(HC_EAST).config).toMatchObject({FailureThreshold: '5', Inverted: 'true'})
    // Their change survives the revert too; rift says it noticed.
    fake.touchHealthCheck(HC_EAST, {FailureThreshold: '4'})
    expect(await definition.revert(context(client, injected))).toBe('reverted')
    expect(fake.healthCheck(HC_EAST).config).toMatchObject({FailureThreshold: '4', Inverted: 'false'})
    expect(warnings.join('\n')).toMatch(/changed since rift inverted it \(version 3 → 4\); rift restores Inverted only/)
  })

  it('gives up with the error name when the version keeps changing', async () => {
    const client = await connect()
    const {definition, state} = plan('us-east-1')
    fake.failNext('UpdateHealthCheck', {code: 'HealthCheckVersionMismatch', status: 409, times: 4})
    await expect(definition.inject(context(client, state))).rejects.toMatchObject({name: 'HealthCheckVersionMismatch'})
  })

  it('refuses a Disabled or already inverted check, changing nothing', async () => {
    const client = await connect()
    const {definition, state} = plan('us-east-1')
    fake.touchHealthCheck(HC_EAST, {Disabled: 'true'})
    await expect(definition.inject(context(client, state))).rejects.toThrow(/is Disabled: Route 53 treats it as healthy/)
    fake.touchHealthCheck(HC_EAST, {Disabled: 'false', Inverted: 'true'})
    await expect(definition.inject(context(client, state))).rejects.toThrow(/already inverted/)
    expect(fake.calls('UpdateHealthCheck')).toEqual([])
  })

  it('a health check that does not exist: inject says so by name; revert of a deleted one is already-reverted', async () => {
    const client = await connect()
    const {definition, state} = plan('us-east-1')
    const injected = (await definition.inject(context(client, state))) as DrainState
    fake.healthChecks.delete(HC_EAST)
    await expect(definition.inject(context(client, state))).rejects.toMatchObject({name: 'NoSuchHealthCheck'})
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
  })

  it('revert without a before-image changed nothing: already-reverted', async () => {
    const client = await connect()
    const {definition, state} = plan('us-east-1')
    expect(await definition.revert(context(client, state))).toBe('already-reverted')
    expect(fake.calls('GetHealthCheck')).toEqual([])
  })
})

describe('route53: drain by weight', () => {
  it('UPSERTs weight 0 from the exact before-image, waits INSYNC, moves the answer, and restores', async () => {
    fake.setEndpoint(HC_WEST, true)
    const client = await connect()
    // eu-west-1 has the lighter weight; draining us-east-1 by weight is the interesting direction here.
    const {definition, state} = plan('us-east-1', {regions: {'us-east-1': {weightedRecord: {hostedZoneId: ZONE, name: 'www.example.com', setIdentifier: 'us-east-1'}}}})
    const before = fake.record(ZONE, 'www.example.com', 'A', 'us-east-1')
    expect(await answer(client, 'www.example.com')).toEqual({answers: ['192.0.2.10'], responseCode: 'NOERROR'})
    const checkpoints: DrainState[] = []
    const injected = (await definition.inject(context(client, state, {checkpoint: async (next) => void checkpoints.push(structuredClone(next))}))) as DrainState
    expect(checkpoints[0]!.before).toMatchObject({HealthCheckId: HC_EAST, Name: 'www.example.com.', ResourceRecords: [{Value: '192.0.2.10'}], SetIdentifier: 'us-east-1', TTL: 60, Weight: 200})
    expect(fake.record(ZONE, 'www.example.com', 'A', 'us-east-1')).toEqual({...before, Weight: '0'})
    expect(fake.calls('GetChange').length).toBeGreaterThanOrEqual(2) // polled until INSYNC
    expect(fake.calls('ChangeResourceRecordSets')[0]!.body).toMatch(/<Comment>rift r1 f1: drain us-east-1<\/Comment><Changes><Change><Action>UPSERT<\/Action>/)
    expect(await definition.verify!(context(client, injected))).toMatchObject({detail: expect.stringMatching(/weight 0 \(was 200\), change \/change\/C\w+ INSYNC/), landed: true})
    expect(await answer(client, 'www.example.com')).toEqual({answers: ['198.51.100.10'], responseCode: 'NOERROR'})

    expect(await definition.revert(context(client, injected))).toBe('reverted')
    expect(fake.record(ZONE, 'www.example.com', 'A', 'us-east-1')).toEqual(before)
    expect([...fake.changes.values()].every((change) => change.status === 'INSYNC')).toBe(true)
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
  })

  it('restores a record deleted meanwhile, and warns when someone changed it', async () => {
    const client = await connect()
    const {definition, state} = plan('eu-west-1')
    const before = fake.record(ZONE, 'www.example.com', 'A', 'eu-west-1')
    const injected = (await definition.inject(context(client, state))) as DrainState
    fake.zones.get(ZONE)!.records = fake.zones.get(ZONE)!.records.filter((record) => record.SetIdentifier !== 'eu-west-1' || record.Name !== 'www.example.com.')
    expect(await definition.revert(context(client, injected))).toBe('reverted')
    expect(fake.record(ZONE, 'www.example.com', 'A', 'eu-west-1')).toEqual(before)

    const again = (await definition.inject(context(client, state))) as DrainState
    const record = fake.zones.get(ZONE)!.records.find((candidate) => candidate.SetIdentifier === 'eu-west-1' && candidate.Name === 'www.example.com.')!
    record.Weight = '50'
    expect(await definition.revert(context(client, again))).toBe('reverted')
    expect(warnings.join('\n')).toMatch(/changed since rift set its weight to 0 \(weight now 50\)/)
    expect(fake.record(ZONE, 'www.example.com', 'A', 'eu-west-1')).toEqual(before)
  })

  it('refuses a record that is missing, not weighted, or already at 0', async () => {
    const client = await connect()
    const definition = route53.actions['zero-weight'] as FaultDefinition<Route53DriverClient, unknown, DrainState>
    const planFor = (record: Record<string, unknown>) => {
      const result = definition.plan(definition.params.parse({hostedZoneId: ZONE, ...record}), {faultId: 'f1', runId: 'r1', topology})
      if (!result.ok) throw new Error(result.reason)
      return result.state
    }
    await expect(definition.inject(context(client, planFor({name: 'nope.example.com', setIdentifier: 'x'})))).rejects.toThrow(/no record nope.example.com A \(x\)/)
    await expect(definition.inject(context(client, planFor({name: 'api.example.com', setIdentifier: 'us-east-1'})))).rejects.toThrow(/is not a weighted record/)
    const zero = planFor({name: 'www.example.com', setIdentifier: 'eu-west-1'})
    const injected = (await definition.inject(context(client, zero))) as DrainState
    await expect(definition.inject(context(client, zero))).rejects.toThrow(/already has weight 0/)
    await definition.revert(context(client, injected))
  })

  it('a throttled change (PriorRequestNotComplete) is retried by the SDK; an invalid batch reports its name', async () => {
    const client = await connect({maxAttempts: 3})
    const {definition, state} = plan('eu-west-1')
    fake.failNext('ChangeResourceRecordSets', {code: 'PriorRequestNotComplete', message: 'The request was rejected because Route 53 was still processing a prior request.', status: 400})
    const injected = (await definition.inject(context(client, state))) as DrainState
    expect(fake.calls('ChangeResourceRecordSets')).toHaveLength(2)
    expect(fake.record(ZONE, 'www.example.com', 'A', 'eu-west-1')!.Weight).toBe('0')
    fake.failNext('ChangeResourceRecordSets', {code: 'InvalidChangeBatch', message: '[Tried to create resource record set but it already exists]', status: 400})
    await expect(definition.revert(context(client, injected))).rejects.toMatchObject({$metadata: expect.objectContaining({httpStatusCode: 400}), name: 'InvalidChangeBatch'})
    expect(await definition.revert(context(client, injected))).toBe('reverted')
  })

  it('declines a region the config does not say how to drain', () => {
    const definition = route53.faults['dns-failover']!
    const result = definition.plan(faultSchemas['dns-failover'].parse({duration: '1m', fault: 'dns-failover', region: 'ap-south-1'}), {config: config(), faultId: 'f1', runId: 'r1', topology})
    expect(result).toMatchObject({ok: false, reason: expect.stringMatching(/does not know how to drain region "ap-south-1"/)})
  })
})
