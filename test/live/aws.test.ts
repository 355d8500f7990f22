/**
 * Opt-in, against a real AWS account: skipped unless RIFT_LIVE_AWS=1. Uses the standard credential chain
 * and only harmless actions: FIS `aws:fis:wait` (does nothing for its duration), a target preview, and,
 * when a dedicated health check is named, inverting and restoring it. It pins down what the fakes assume:
 * states, tags, the error FIS gives for stopping a finished experiment, and the Route 53 version counter.
 *
 *   RIFT_LIVE_AWS=1                      run this suite
 *   RIFT_LIVE_AWS_ACCOUNT=123456789012   the account the credentials must belong to (the suite refuses others)
 *   RIFT_LIVE_AWS_REGION=us-east-1       where to run the FIS experiment
 *   RIFT_LIVE_AWS_ROLE_ARN=arn:aws:iam::…:role/…           the FIS experiment role
 *   RIFT_LIVE_AWS_ALARM_ARN=arn:aws:cloudwatch:…:alarm:…   a stop condition (an alarm in OK state)
 *   RIFT_LIVE_AWS_HEALTH_CHECK_ID=…      optional: a health check nothing routes by, to invert and restore
 */
import {describe, expect, it} from 'vitest'

import awsFis from '../../src/drivers/aws-fis/index.js'
import type {FisDriverClient} from '../../src/drivers/aws-fis/client.js'
import type {FisState} from '../../src/drivers/aws-fis/template.js'
import type {FaultDefinition, Topology} from '../../src/drivers/define.js'
import route53 from '../../src/drivers/route53/index.js'
import type {Route53DriverClient} from '../../src/drivers/route53/client.js'
import type {DrainState} from '../../src/drivers/route53/faults/drain.js'

const env = process.env
const enabled = env.RIFT_LIVE_AWS === '1'
const region = env.RIFT_LIVE_AWS_REGION ?? 'us-east-1'
const log = {debug: () => {}, info: () => {}, warn: (message: string) => console.warn(message)}
const runId = `live-${Date.now().toString(36)}`
const topology: Topology = {links: [], regions: [{name: region, services: {}, tags: {'rift-live-test': 'none'}}]}

describe.skipIf(!enabled)('live AWS (RIFT_LIVE_AWS=1)', () => {
  const required = (name: string): string => {
    const value = env[name]
    if (!value) throw new Error(`${name} must be set for the live suite`)
    return value
  }

  it('the credentials belong to the named account', async () => {
    const client = (await awsFis.connect(awsFis.config.parse({roleArn: required('RIFT_LIVE_AWS_ROLE_ARN'), stopConditions: [required('RIFT_LIVE_AWS_ALARM_ARN')]}), {log, signal: AbortSignal.timeout(30_000), stateDir: '/tmp'})) as FisDriverClient
    const identity = await awsFis.identity!(client, {signal: AbortSignal.timeout(30_000)})
    expect(identity.account).toBe(required('RIFT_LIVE_AWS_ACCOUNT'))
    client.close()
  })

  it('FIS: a one-minute aws:fis:wait starts, runs, is stopped, and finding it by tag works', {timeout: 5 * 60_000}, async () => {
    const config = awsFis.config.parse({pollInterval: '2s', roleArn: required('RIFT_LIVE_AWS_ROLE_ARN'), stopConditions: [required('RIFT_LIVE_AWS_ALARM_ARN')]})
    const client = (await awsFis.connect(config, {log, signal: AbortSignal.timeout(30_000), stateDir: '/tmp'})) as FisDriverClient
    const identity = await awsFis.identity!(client, {signal: AbortSignal.timeout(30_000)})
    expect(identity.account).toBe(required('RIFT_LIVE_AWS_ACCOUNT')) // never act in another account
    const definition = awsFis.actions.action as FaultDefinition<FisDriverClient, unknown, FisState>
    const plan = definition.plan(definition.params.parse({actionId: 'aws:fis:wait', region}), {config, durationMs: 60_000, faultId: 'f1', runId, topology})
    if (!plan.ok) throw new Error(plan.reason)
    const context = (state: FisState) => ({client, log, signal: AbortSignal.timeout(3 * 60_000), state})
    try {
      const injected = (await definition.inject(context(plan.state))) as FisState
      expect(await definition.verify!(context(injected))).toMatchObject({landed: true})
      // Revert from the planned state alone: found by tag, as after a crash before the id was saved.
      expect(await definition.revert(context(plan.state))).toBe('reverted')
      expect(await definition.revert(context(injected))).toBe('already-reverted')
      // What does FIS say to stopping a finished experiment? The driver treats these names as "already over".
      const id = injected.experiments[0]!.experimentId!
      const error = await client.fis(region).send(new client.sdk.StopExperimentCommand({id})).then(() => undefined, (reason: Error) => reason)
      console.info(`StopExperiment on a stopped experiment: ${error ? `${error.name}: ${error.message}` : 'accepted'}`)
      if (error) expect(['ValidationException', 'ConflictException', 'ResourceNotFoundException']).toContain(error.name)
    } finally {
      await definition.revert(context(plan.state)).catch(() => undefined)
      client.close()
    }
  })

  it.skipIf(!env.RIFT_LIVE_AWS_HEALTH_CHECK_ID)('Route 53: inverts a health check at its version and restores it', {timeout: 2 * 60_000}, async () => {
    const id = env.RIFT_LIVE_AWS_HEALTH_CHECK_ID!
    const config = route53.config.parse({pollInterval: '2s'})
    const client = (await route53.connect(config, {log, signal: AbortSignal.timeout(30_000), stateDir: '/tmp'})) as Route53DriverClient
    expect((await route53.identity!(client, {signal: AbortSignal.timeout(30_000)})).account).toBe(required('RIFT_LIVE_AWS_ACCOUNT'))
    const definition = route53.actions['invert-health-check'] as FaultDefinition<Route53DriverClient, unknown, DrainState>
    const plan = definition.plan({healthCheckId: id}, {faultId: 'f1', runId, topology})
    if (!plan.ok) throw new Error(plan.reason)
    const context = (state: DrainState) => ({client, log, signal: AbortSignal.timeout(60_000), state})
    let injected: DrainState = plan.state
    try {
      injected = (await definition.inject({...context(plan.state), checkpoint: async (next) => void (injected = next)})) as DrainState
      expect(await definition.verify!(context(injected))).toMatchObject({landed: true})
    } finally {
      expect(await definition.revert(context(injected))).toBe('reverted')
      client.close()
    }
  })
})
