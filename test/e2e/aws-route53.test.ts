/**
 * A whole two-region active-passive game day through the built CLI: FIS cuts us-east-1 off, Route 53
 * drains it from DNS, the method checks DNS answers from eu-west-1, and everything is put back. The fakes
 * (FIS, Route 53, STS) hold the state that proves it; `rift plan --preview` asks FIS for a target preview.
 */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {ACCOUNT, startFakeAws, type FakeAws} from '../fakes/aws/index.js'
import {ledgerText, rift, STACK_FRAME, start, until, workspace} from './cli.js'

const ZONE = 'Z0123456789ABCDEFGHIJ'
const HC_EAST = 'abcdef11-2222-3333-4444-555555555555'
const HC_WEST = 'bbbbbbbb-2222-3333-4444-555555555555'
const ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:checkout-p99`

const dnsAnswer = (value: string) => `probe: route53.dns-answer
    params: {hostedZoneId: ${ZONE}, recordName: api.example.com}
    expect: {equals: {answers: ["${value}"], responseCode: NOERROR}}`

function experiment(duration = '500ms'): string {
  return `version: rift/v1
title: losing us-east-1 fails api.example.com over to eu-west-1
topology:
  regions:
    - {name: us-east-1, tags: {rift-region: us-east-1}}
    - {name: eu-west-1, tags: {rift-region: eu-west-1}}
driver:
  aws-fis:
    roleArn: arn:aws:iam::${ACCOUNT}:role/rift-fis
    stopConditions: [${ALARM}]
    pollInterval: 20ms
    maxAttempts: 1
  route53:
    regions:
      us-east-1: {healthCheck: ${HC_EAST}}
    pollInterval: 20ms
    maxAttempts: 1
guardrails:
  allowAccounts: ["${ACCOUNT}"]
  allowRegions: [us-east-1, eu-west-1]
steadyState:
  - name: DNS answers with us-east-1
    ${dnsAnswer('192.0.2.10')}
method:
  - fault: region-outage
    region: us-east-1
    duration: ${duration}
    background: true
  - fault: dns-failover
    driver: route53
    region: us-east-1
    duration: ${duration}
    background: true
  - name: DNS answers with eu-west-1
    ${dnsAnswer('198.51.100.10')}
`
}

let aws: FakeAws

beforeAll(async () => {
  aws = await startFakeAws({fis: {timing: {initiatingMs: 10, stoppingMs: 10}}})
})
afterAll(async () => {
  await aws.close()
})
beforeEach(() => {
  aws.reset()
  for (const region of ['us-east-1', 'eu-west-1']) {
    aws.fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${region}`, region, tags: {'rift-region': region}, type: 'aws:ec2:subnet'})
  }
  aws.route53.addZone(ZONE, 'example.com')
  aws.route53.addHealthCheck(HC_EAST, {fqdn: 'api-use1.example.com'}).addHealthCheck(HC_WEST, {fqdn: 'api-euw1.example.com'})
  aws.route53.addRecord(ZONE, {Failover: 'PRIMARY', HealthCheckId: HC_EAST, Name: 'api.example.com', ResourceRecords: {ResourceRecord: [{Value: '192.0.2.10'}]}, SetIdentifier: 'us-east-1', TTL: '60', Type: 'A'})
  aws.route53.addRecord(ZONE, {Failover: 'SECONDARY', HealthCheckId: HC_WEST, Name: 'api.example.com', ResourceRecords: {ResourceRecord: [{Value: '198.51.100.10'}]}, SetIdentifier: 'eu-west-1', TTL: '60', Type: 'A'})
})

async function setup(text = experiment()): Promise<string> {
  const cwd = await workspace()
  await writeFile(path.join(cwd, 'gameday.yaml'), text)
  return cwd
}

describe('a live active-passive game day', () => {
  it('cuts the region off, drains it from DNS, sees the failover, and puts everything back', async () => {
    const cwd = await setup()
    const result = await rift(['run', 'gameday.yaml', '--live', '--yes', '--json'], cwd, aws.env)
    expect(result.stderr).not.toMatch(STACK_FRAME)
    const journal = JSON.parse(result.stdout)
    expect(journal.reason).toMatch(/hypothesis held/)
    expect(result.code).toBe(0)
    expect(journal.probes).toEqual([expect.objectContaining({name: 'DNS answers with eu-west-1', ok: true})])
    expect(journal.faults.map((fault: any) => [fault.id, fault.driver, fault.landed, fault.revert])).toEqual([
      ['f1', 'aws-fis', true, 'reverted'],
      ['f2', 'route53', true, 'reverted'],
    ])

    // FIS: an experiment in each region, both stopped. Route 53: inverted at version 1, restored at 2.
    expect(aws.fis.list().map((e) => [e.region, e.status]).sort()).toEqual([['eu-west-1', 'stopped'], ['us-east-1', 'stopped']])
    expect(aws.route53.healthCheck(HC_EAST)).toMatchObject({config: expect.objectContaining({Disabled: 'false', Inverted: 'false'}), version: 3})
    expect(aws.route53.calls('UpdateHealthCheck').map((request) => /<Inverted>(\w+)/.exec(request.body)?.[1])).toEqual(['true', 'false'])
    // Both drivers asked STS who they were before changing anything.
    expect(aws.sts.calls('GetCallerIdentity')).toHaveLength(2)
    // The before-image was in the ledger before the change.
    const ledger = ledgerText(cwd).split('\n').filter(Boolean).map((line) => JSON.parse(line))
    const checkpoint = ledger.findIndex((entry) => entry.type === 'checkpoint' && entry.faultId === 'f2')
    expect(ledger[checkpoint].state.before).toEqual({inverted: false, version: 1})
  })

  it('after kill -9 with both faults held, rift rollback stops FIS and restores the health check from the ledger', async () => {
    const cwd = await setup(experiment('60s'))
    const run = start(['run', 'gameday.yaml', '--live', '--yes'], cwd, aws.env)
    const injected = (faultId: string): boolean => ledgerText(cwd).split('\n').some((line) => line.includes(`"faultId":"${faultId}"`) && line.includes('"type":"injected"'))
    await until(() => injected('f1') && injected('f2'), 'both faults to be injected', 20_000)
    run.child.kill('SIGKILL')
    await run.done
    expect(aws.route53.healthCheck(HC_EAST).config.Inverted).toBe('true')
    expect(aws.fis.active()).toHaveLength(2)

    const rollback = await rift(['rollback'], cwd, aws.env)
    expect(rollback.code).toBe(0)
    expect(rollback.stdout).toMatch(/f2 dns-failover on health check abcdef11-2222-3333-4444-555555555555 \(route53\): reverted/)
    expect(rollback.stdout).toMatch(/f1 region-outage on FIS experiments in us-east-1, eu-west-1 \(aws-fis\): reverted/)
    expect(aws.route53.healthCheck(HC_EAST).config.Inverted).toBe('false')
    expect(aws.fis.active()).toEqual([])
  })

  it('rift plan --preview asks FIS what would be hit, injecting nothing', async () => {
    const cwd = await setup()
    const result = await rift(['plan', 'gameday.yaml', '--preview'], cwd, aws.env)
    expect(result.stderr).not.toMatch(STACK_FRAME)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/driver aws-fis \(live: changes real infrastructure; runs only with rift run --live\)/)
    expect(result.stdout).toMatch(/Preview \(nothing was injected\):\n {2}f1: 2 target\(s\)/)
    expect(result.stdout).toMatch(/us-east-1: target preview EXP\w+ completed; 1 resource\(s\) resolved/)
    expect(result.stdout).toContain(`- us-east-1 aws:ec2:subnet arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-us-east-1`)
    expect(result.stdout).toMatch(/f2: no preview: the route53 driver offers no preview of dns-failover/)
    for (const request of aws.fis.calls('StartExperiment')) expect(JSON.parse(request.body).experimentOptions).toEqual({actionsMode: 'skip-all'})
    expect(aws.fis.list().every((e) => e.actionsMode === 'skip-all' && e.status === 'completed')).toBe(true)
    expect(aws.fis.templates.size).toBe(0)
    expect(aws.route53.calls('UpdateHealthCheck')).toEqual([])
  })

  it('rift plan --preview refuses credentials of another account', async () => {
    aws.sts.setIdentity('999988887777')
    const cwd = await setup()
    const result = await rift(['plan', 'gameday.yaml', '--preview', '--json'], cwd, aws.env)
    expect(result.code).toBe(4)
    expect(JSON.parse(result.stdout).error).toMatchObject({code: 'RIFT_PREFLIGHT_FAILED', message: expect.stringMatching(/account 999988887777/)})
    expect(aws.fis.requests).toEqual([])
  })
})
