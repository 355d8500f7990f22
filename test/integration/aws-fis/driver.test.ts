/**
 * The aws-fis driver through the real @aws-sdk/client-fis and client-sts (3.523.0) against the stateful
 * fakes on loopback: the fakes' state, not the driver's word, says whether an experiment ran and stopped.
 */
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import awsFis from '../../../src/drivers/aws-fis/index.js'
import type {FisDriverClient} from '../../../src/drivers/aws-fis/client.js'
import type {FisState} from '../../../src/drivers/aws-fis/template.js'
import type {FaultDefinition, Json, Topology} from '../../../src/drivers/define.js'
import {faultSchemas, type FaultKind} from '../../../src/experiment/schema.js'
import {ACCOUNT, startFakeAws, useEnv, type FakeAws} from '../../fakes/aws/index.js'

const ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:checkout-p99`
const ROLE = `arn:aws:iam::${ACCOUNT}:role/rift-fis`
const TAGS = {east: {'rift-region': 'us-east-1'}, west: {'rift-region': 'eu-west-1'}}

const topology: Topology = {
  links: [],
  regions: [
    {name: 'us-east-1', services: {api: 'api.use1.example.com:443'}, tags: TAGS.east},
    {name: 'eu-west-1', services: {api: 'api.euw1.example.com:443'}, tags: TAGS.west},
  ],
}

let aws: FakeAws
let restoreEnv: () => void
const warnings: string[] = []
const log = {debug: () => {}, info: () => {}, warn: (message: string) => void warnings.push(message)}

beforeAll(async () => {
  aws = await startFakeAws({fis: {timing: {initiatingMs: 10, stoppingMs: 10}}})
  restoreEnv = useEnv(aws.env)
})
afterAll(async () => {
  restoreEnv()
  await aws.close()
})
beforeEach(() => {
  aws.reset()
  warnings.length = 0
  for (const [region, tags] of [['us-east-1', TAGS.east], ['eu-west-1', TAGS.west]] as const) {
    aws.fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${region}-a`, region, tags, type: 'aws:ec2:subnet'})
    aws.fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${region}-b`, region, tags, type: 'aws:ec2:subnet'})
    aws.fis.addResource({arn: `arn:aws:s3:::bucket-${region}`, region, tags, type: 'aws:s3:bucket'})
    aws.fis.addResource({arn: `arn:aws:dynamodb:${region}:${ACCOUNT}:table/orders`, region, tags, type: 'aws:dynamodb:global-table'})
    aws.fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${region}`, region, tags, type: 'aws:ec2:instance'})
  }
})

const clients: FisDriverClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

function config(extra: Record<string, unknown> = {}) {
  return awsFis.config.parse({maxAttempts: 1, pollInterval: '10ms', roleArn: ROLE, startTimeout: '5s', stopConditions: [ALARM], ...extra})
}

async function connect(extra: Record<string, unknown> = {}): Promise<FisDriverClient> {
  const client = (await awsFis.connect(config(extra), {log, signal: AbortSignal.timeout(5000), stateDir: '/tmp'})) as FisDriverClient
  clients.push(client)
  return client
}

function plan(kind: FaultKind, step: Record<string, unknown>, options: {config?: Record<string, unknown>; durationMs?: number; faultId?: string; runId?: string} = {}) {
  const definition = awsFis.faults[kind] as FaultDefinition<FisDriverClient, unknown, FisState>
  const params = faultSchemas[kind].parse({duration: '30s', fault: kind, ...step})
  const result = definition.plan(params, {config: config(options.config), durationMs: options.durationMs ?? 30_000, faultId: options.faultId ?? 'f1', runId: options.runId ?? 'r1', topology})
  return {definition, result}
}

function planned(kind: FaultKind, step: Record<string, unknown>, options: Parameters<typeof plan>[2] = {}) {
  const {definition, result} = plan(kind, step, options)
  if (!result.ok) throw new Error(result.reason)
  return {definition, result, state: result.state}
}

const context = (client: FisDriverClient, state: FisState, signal = AbortSignal.timeout(10_000)) => ({client, log, signal, state})

describe('aws-fis: plan', () => {
  it('is deterministic, and names tokens and tags after the run and fault', () => {
    const first = plan('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}).result
    const second = plan('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}).result
    expect(first).toEqual(second)
    if (!first.ok) throw new Error(first.reason)
    const [experiment] = first.state.experiments
    expect(experiment).toMatchObject({region: 'us-east-1', startToken: 'rift-r1-f1-us-east-1-start', templateToken: 'rift-r1-f1-us-east-1-template'})
    expect((experiment!.template as any).tags).toEqual({'managed-by': 'rift', 'rift:fault-id': 'f1', 'rift:run-id': 'r1'})
    expect((experiment!.template as any).stopConditions).toEqual([{source: 'aws:cloudwatch:alarm', value: ALARM}])
    expect((experiment!.template as any).targets.subnets).toEqual({resourceTags: TAGS.east, resourceType: 'aws:ec2:subnet', selectionMode: 'ALL'})
  })

  it('runs a two-way partition as an experiment in each region, and says so', () => {
    const {result} = planned('partition', {from: 'us-east-1', to: 'eu-west-1'})
    expect(result.state.experiments.map((experiment) => experiment.region)).toEqual(['us-east-1', 'eu-west-1'])
    expect(result.fidelity.join('\n')).toMatch(/leaving a region only.*two experiments, one in us-east-1 and one in eu-west-1/)
    expect(result.actions.map((action) => action.description)).toEqual([
      expect.stringMatching(/^in us-east-1: isolate-subnets-from-eu-west-1: aws:network:route-table-disrupt-cross-region-connectivity \(duration=PT1M region=eu-west-1\) on every subnet tagged rift-region=us-east-1$/),
      expect.stringMatching(/^in eu-west-1: isolate-subnets-from-us-east-1: .*region=us-east-1\)/),
    ])
    expect(result.regions).toEqual(['us-east-1', 'eu-west-1'])
  })

  it('carries the fault\'s duration on every action, raised to FIS\'s one-minute floor', () => {
    const short = planned('region-outage', {region: 'us-east-1'}, {config: {isolate: ['subnets', 'transit-gateways']}, durationMs: 5000}).result
    const actions = short.state.experiments.flatMap((experiment) => Object.values<any>((experiment.template as any).actions))
    expect(actions).toHaveLength(4)
    for (const action of actions) expect(action.parameters.duration).toBe('PT1M')
    expect(short.fidelity[0]).toMatch(/at least a minute/)
    const long = planned('replication-pause', {from: 'us-east-1', to: 'eu-west-1'}, {durationMs: 90 * 60_000}).result
    for (const action of Object.values<any>((long.state.experiments[0]!.template as any).actions)) expect(action.parameters.duration).toBe('PT1H30M')
  })

  it('compiles latency to the Latency-Sources SSM document on the region\'s tagged instances', () => {
    const {result} = planned('latency', {from: 'us-east-1', to: 'eu-west-1', latency: '200ms', jitter: '20ms', direction: 'one-way'})
    const action = (result.state.experiments[0]!.template as any).actions['delay-to-eu-west-1']
    expect(action.actionId).toBe('aws:ssm:send-command')
    expect(action.parameters.documentArn).toBe('arn:aws:ssm:us-east-1::document/AWSFIS-Run-Network-Latency-Sources')
    expect(JSON.parse(action.parameters.documentParameters)).toEqual({
      DelayMilliseconds: '200',
      DurationSeconds: '30',
      InstallDependencies: 'True',
      JitterMilliseconds: '20',
      Sources: 'api.euw1.example.com',
      TrafficType: 'egress',
    })
  })

  it('declines what FIS cannot do, with a reason', () => {
    const untagged: Topology = {links: [], regions: [{name: 'us-east-1', services: {}, tags: {}}, {name: 'eu-west-1', services: {}, tags: TAGS.west}]}
    const definition = awsFis.faults.partition!
    const step = faultSchemas.partition.parse({duration: '1m', fault: 'partition', from: 'us-east-1', to: 'eu-west-1'})
    const declined = definition.plan(step, {config: config(), durationMs: 60_000, faultId: 'f1', runId: 'r1', topology: untagged})
    expect(declined).toMatchObject({ok: false, reason: expect.stringMatching(/no tags/)})
    expect(plan('region-outage', {region: 'us-east-1', mode: 'reject'}).result).toMatchObject({ok: false, reason: expect.stringMatching(/cannot refuse/)})
    expect(plan('region-outage', {region: 'us-east-1'}, {durationMs: 13 * 3_600_000}).result).toMatchObject({ok: false, reason: expect.stringMatching(/12 hours/)})
    const named: Topology = {links: [], regions: [{name: 'east', services: {}, tags: TAGS.east}, {name: 'west', services: {}, tags: TAGS.west}]}
    const unmapped = definition.plan(faultSchemas.partition.parse({duration: '1m', fault: 'partition', from: 'east', to: 'west'}), {config: config(), durationMs: 60_000, faultId: 'f1', runId: 'r1', topology: named})
    expect(unmapped).toMatchObject({ok: false, reason: expect.stringMatching(/not an AWS region/)})
    const mapped = definition.plan(faultSchemas.partition.parse({duration: '1m', fault: 'partition', from: 'east', to: 'west'}), {config: config({regions: {east: 'us-east-1', west: 'eu-west-1'}}), durationMs: 60_000, faultId: 'f1', runId: 'r1', topology: named})
    expect(mapped).toMatchObject({ok: true, regions: ['east', 'west']})
  })
})

describe('aws-fis: inject, verify, revert', () => {
  it('starts tagged experiments with the derived tokens, waits until they run, and stops them on revert', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1'})
    const checkpoints: FisState[] = []
    const injected = (await definition.inject({...context(client, state), checkpoint: async (next) => void checkpoints.push(structuredClone(next))})) as FisState
    expect(injected.experiments.every((experiment) => experiment.experimentId?.startsWith('EXP'))).toBe(true)
    // Each id was ledgered as soon as FIS returned it, before the next region was started.
    expect(checkpoints).toHaveLength(2)
    expect(checkpoints[0]!.experiments.map((experiment) => experiment.experimentId !== null)).toEqual([true, false])

    expect(aws.fis.active('us-east-1').map((experiment) => experiment.status)).toEqual(['running'])
    expect(aws.fis.active('eu-west-1').map((experiment) => experiment.status)).toEqual(['running'])
    const [east] = aws.fis.active('us-east-1')
    expect(east!.clientToken).toBe('rift-r1-f1-us-east-1-start')
    expect(east!.tags).toMatchObject({'rift:fault-id': 'f1', 'rift:run-id': 'r1'})
    expect(east!.resolved.subnets).toHaveLength(2)

    const verification = await definition.verify!(context(client, injected))
    expect(verification).toMatchObject({landed: true, detail: expect.stringMatching(/running isolate-subnets-from-eu-west-1 on 2 resource/)})

    expect(await definition.revert(context(client, injected))).toBe('reverted')
    expect(warnings).toEqual([])
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.list().map((experiment) => experiment.status)).toEqual(['stopped', 'stopped'])
    expect(aws.fis.templates.size).toBe(0)
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
  })

  it('a retried inject returns the same experiment, not a second one', async () => {
    const client = await connect()
    const {definition, state} = planned('replication-pause', {from: 'us-east-1', to: 'eu-west-1'})
    const first = (await definition.inject(context(client, state))) as FisState
    const second = (await definition.inject(context(client, state))) as FisState
    expect(second.experiments[0]!.experimentId).toBe(first.experiments[0]!.experimentId)
    expect(aws.fis.list()).toHaveLength(1)
    expect(aws.fis.templates.size).toBe(1)
    expect(Object.keys(aws.fis.list()[0]!.template.body.actions)).toEqual(['pause-s3-replication', 'pause-dynamodb-replication'])
    await definition.revert(context(client, second))
  })

  it('an experiment FIS completed on its own time held the fault: verify says landed, revert already-reverted', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(client, state))) as FisState
    const experiment = aws.fis.experiments.get(injected.experiments[0]!.experimentId!)!
    experiment.startedAt = Date.now() - 61_000 // its PT1M action has run its course
    expect(await definition.verify!(context(client, injected))).toMatchObject({detail: expect.stringMatching(/in us-east-1 completed isolate-subnets-from-eu-west-1 on 2 resource/), landed: true})
    expect(aws.fis.list()[0]!.status).toBe('completed')
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
    expect(warnings).toEqual([])
  })

  it('revert without inject is already-reverted', async () => {
    const client = await connect()
    const {definition, state} = planned('region-outage', {region: 'us-east-1'})
    expect(await definition.revert(context(client, state))).toBe('already-reverted')
  })

  it('reverts from a fresh client with the ledgered state', async () => {
    const {definition, state} = planned('latency', {from: 'us-east-1', to: 'eu-west-1', latency: '100ms'})
    const injected = await definition.inject(context(await connect(), state))
    const ledgered = JSON.parse(JSON.stringify(injected)) as FisState
    expect(await definition.revert(context(await connect(), ledgered))).toBe('reverted')
    expect(aws.fis.active()).toEqual([])
  })

  it('finds the experiment by its tags when the process died between StartExperiment and saving the id', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    aws.fis.holdResponses('StartExperiment')
    const controller = new AbortController()
    const inject = definition.inject(context(client, state, controller.signal))
    const started = async (): Promise<void> => {
      while (aws.fis.list().length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await started()
    controller.abort(new Error('killed'))
    await expect(inject).rejects.toThrow()
    aws.fis.releaseResponses('StartExperiment')
    expect(aws.fis.active()).toHaveLength(1) // FIS started it; rift never learned its id

    // Only the planned state survived: no template id, no experiment id.
    expect(state.experiments[0]).toMatchObject({experimentId: null, templateId: null})
    expect(await definition.revert(context(await connect(), JSON.parse(JSON.stringify(state)) as FisState))).toBe('reverted')
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.calls('ListExperimentTemplates').length).toBeGreaterThan(0)
    expect(aws.fis.templates.size).toBe(0)
  })

  it('leaves another fault\'s experiment alone when finding by tag', async () => {
    const client = await connect()
    const one = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}, {faultId: 'f1'})
    const two = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}, {faultId: 'f2'})
    await one.definition.inject(context(client, one.state))
    await two.definition.inject(context(client, two.state))
    expect(await one.definition.revert(context(client, one.state))).toBe('reverted') // by tag: no ids in the planned state
    expect(aws.fis.active().map((experiment) => experiment.tags['rift:fault-id'])).toEqual(['f2'])
    await two.definition.revert(context(client, two.state))
  })
})

describe('aws-fis: error paths', () => {
  it('retries throttling with the SDK\'s backoff, and starts exactly one experiment', async () => {
    const client = await connect({maxAttempts: 3})
    aws.fis.failNext('StartExperiment', {code: 'ThrottlingException', message: 'Rate exceeded', status: 400})
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(client, state))) as FisState
    expect(aws.fis.calls('StartExperiment')).toHaveLength(2)
    expect(aws.fis.list()).toHaveLength(1)
    await definition.revert(context(client, injected))
  })

  it('reports throttling that outlasts the retries by its name', async () => {
    const client = await connect({maxAttempts: 1})
    aws.fis.failNext('CreateExperimentTemplate', {code: 'ThrottlingException', message: 'Rate exceeded', status: 400})
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    await expect(definition.inject(context(client, state))).rejects.toThrow(/FIS in us-east-1: ThrottlingException \(HTTP 400\): Rate exceeded/)
    expect(await definition.revert(context(client, state))).toBe('already-reverted')
  })

  it('fails the inject on a quota (402), reverts what the first region started, and removes the templates', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1'})
    aws.fis.before('StartExperiment', (request) => {
      // us-east-1 starts; eu-west-1 is over its quota.
      if (request.region === 'eu-west-1') aws.fis.failNext('StartExperiment', {code: 'ServiceQuotaExceededException', status: 402})
    })
    let checkpointed: FisState = state
    await expect(definition.inject({...context(client, state), checkpoint: async (next) => void (checkpointed = structuredClone(next))})).rejects.toThrow(/FIS in eu-west-1: ServiceQuotaExceededException \(HTTP 402\)/)
    expect(aws.fis.active().map((experiment) => experiment.region)).toEqual(['us-east-1'])
    expect(checkpointed.experiments.map((experiment) => experiment.experimentId !== null)).toEqual([true, false])
    expect(await definition.revert(context(client, checkpointed))).toBe('reverted')
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.templates.size).toBe(0)
  })

  it('a real quota: the sixth active experiment in a region is refused with 402', async () => {
    const client = await connect()
    const states: FisState[] = []
    for (let index = 1; index <= 5; index += 1) {
      const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}, {faultId: `f${index}`})
      states.push((await definition.inject(context(client, state))) as FisState)
    }
    const sixth = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'}, {faultId: 'f6'})
    await expect(sixth.definition.inject(context(client, sixth.state))).rejects.toThrow(/ServiceQuotaExceededException \(HTTP 402\): You have reached the maximum of 5 active experiments/)
    for (const state of states) expect(await sixth.definition.revert(context(client, state))).toBe('reverted')
  })

  it('treats an experiment FIS no longer knows (404) as already reverted', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(client, state))) as FisState
    aws.fis.experiments.clear()
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
  })

  it('a stop condition firing mid-run: verify says not landed, revert is already-reverted and warns', async () => {
    const client = await connect()
    const {definition, state} = planned('region-outage', {region: 'eu-west-1'})
    const injected = (await definition.inject(context(client, state))) as FisState
    aws.fis.setAlarm(ALARM, 'ALARM')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(await definition.verify!(context(client, injected))).toMatchObject({detail: expect.stringMatching(/stopped: Experiment stopped by stop condition/), landed: false})
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
    expect(warnings.join('\n')).toMatch(/was already stopped when rift came to stop it: Experiment stopped by stop condition arn:aws:cloudwatch/)
    expect(aws.fis.calls('StopExperiment')).toEqual([])
  })

  it('an experiment that fails to resolve its targets fails the inject with FIS\'s reason', async () => {
    const client = await connect()
    aws.fis.inventory.length = 0
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    await expect(definition.inject(context(client, state))).rejects.toThrow(/is failed, not running: Target resolution failed/)
    expect(await definition.revert(context(client, state))).toBe('already-reverted')
  })

  it('a stop that FIS refuses because the experiment just ended counts as already reverted', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(client, state))) as FisState
    // It fails on its own between rift's read and rift's stop; FIS then refuses the stop (400).
    aws.fis.before('StopExperiment', () => aws.fis.failExperiment(injected.experiments[0]!.experimentId!, 'Action failed.'))
    expect(await definition.revert(context(client, injected))).toBe('already-reverted')
    expect(aws.fis.calls('StopExperiment')).toHaveLength(1)
  })

  it('a revert that cannot reach FIS throws, so the engine reports the fault as still held', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(client, state))) as FisState
    aws.fis.failNext('GetExperiment', {code: 'InternalServerError', status: 500})
    await expect(definition.revert(context(client, injected))).rejects.toThrow(/could not stop every FIS experiment: us-east-1: InternalServerError \(HTTP 500\)/)
    expect(await definition.revert(context(client, injected))).toBe('reverted')
  })
})

describe('aws-fis: raw actions, identity, endpoints, preview', () => {
  it('runs any FIS action on the region\'s tagged targets with the step\'s duration', async () => {
    const client = await connect()
    const definition = awsFis.actions.action as FaultDefinition<FisDriverClient, unknown, FisState>
    const params = definition.params.parse({actionId: 'aws:network:disrupt-connectivity', parameters: {scope: 'all'}, region: 'us-east-1', targets: {Subnets: {resourceType: 'aws:ec2:subnet'}}})
    const result = definition.plan(params, {config: config(), durationMs: 120_000, faultId: 'f1', runId: 'r1', topology})
    if (!result.ok) throw new Error(result.reason)
    const injected = (await definition.inject(context(client, result.state))) as FisState
    const [experiment] = aws.fis.active('us-east-1')
    expect(experiment!.template.body.actions['network-disrupt-connectivity']).toEqual({
      actionId: 'aws:network:disrupt-connectivity',
      parameters: {duration: 'PT2M', scope: 'all'},
      targets: {Subnets: 'subnets'},
    })
    expect(experiment!.resolved.subnets).toHaveLength(2)
    expect(await definition.revert(context(client, injected))).toBe('reverted')
  })

  it('identity asks STS who the credentials are', async () => {
    const client = await connect()
    expect(await awsFis.identity!(client, {signal: AbortSignal.timeout(5000)})).toEqual({account: ACCOUNT, principal: `arn:aws:iam::${ACCOUNT}:user/rift-tester`})
    aws.sts.failNext('GetCallerIdentity', {code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403})
    await expect(awsFis.identity!(client, {signal: AbortSignal.timeout(5000)})).rejects.toThrow(/security token/)
  })

  it('honours AWS_ENDPOINT_URL_FIS when the config names no endpoint, and the config over it', async () => {
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1', direction: 'one-way'})
    const injected = (await definition.inject(context(await connect(), state))) as FisState
    expect(aws.fis.list()).toHaveLength(1)
    const elsewhere = await connect({endpoints: {fis: 'http://127.0.0.1:9'}})
    await expect(definition.revert(context(elsewhere, injected))).rejects.toThrow(/ECONNREFUSED|connect/)
    await definition.revert(context(await connect(), injected))
  })

  it('signs each region\'s requests for that region', async () => {
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1'})
    const injected = (await definition.inject(context(await connect(), state))) as FisState
    const regions = aws.fis.calls('StartExperiment').map((request) => request.region)
    expect(regions).toEqual(['us-east-1', 'eu-west-1'])
    expect(aws.fis.calls('StartExperiment')[0]!.headers.authorization).toMatch(/\/us-east-1\/fis\/aws4_request/)
    await definition.revert(context(await connect(), injected))
  })

  it('previews targets with actionsMode skip-all (added by middleware), injecting nothing and cleaning up', async () => {
    const client = await connect()
    const {definition, state} = planned('partition', {from: 'us-east-1', to: 'eu-west-1'})
    const preview = await definition.preview!(context(client, state))
    const bodies = aws.fis.calls('StartExperiment').map((request) => JSON.parse(request.body))
    expect(bodies).toHaveLength(2)
    for (const body of bodies) expect(body.experimentOptions).toEqual({actionsMode: 'skip-all'})
    expect(preview.targets.map((target) => `${target.region} ${target.id}`).sort()).toEqual([
      `eu-west-1 arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-eu-west-1-a`,
      `eu-west-1 arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-eu-west-1-b`,
      `us-east-1 arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-us-east-1-a`,
      `us-east-1 arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-us-east-1-b`,
    ])
    expect(preview.notes.join('\n')).toMatch(/us-east-1: target preview EXP\w+ completed; 2 resource\(s\) resolved/)
    expect(aws.fis.list().map((experiment) => [experiment.actionsMode, experiment.status])).toEqual([['skip-all', 'completed'], ['skip-all', 'completed']])
    expect(aws.fis.templates.size).toBe(0)
  })
})

// Keeps the unused-type import honest for readers: states are JSON.
export type _StateIsJson = FisState extends Json ? true : never
