/**
 * The two ways of draining, as fault definitions: dispatch on the state's method. Plan is pure; the
 * before-image is read and ledgered (checkpoint) inside inject, before anything is changed.
 */
import type {FaultDefinition, FaultPlan, PlannedAction} from '../../define.js'
import type {Route53DriverClient} from '../client.js'
import type {Drain} from '../config.js'
import {invertHealthCheck, restoreHealthCheck, verifyHealthCheck, type HealthCheckState} from '../health-check.js'
import {restoreWeight, verifyWeight, zeroWeight, type WeightedRecordState} from '../weighted-record.js'

export type DrainState = HealthCheckState | WeightedRecordState

export function drainPlan(drain: Drain, context: {faultId: string; runId: string}, region: string | undefined): Extract<FaultPlan<DrainState>, {ok: true}> {
  const regions = region ? [region] : []
  if ('healthCheck' in drain) {
    const action: PlannedAction = {description: `invert Route 53 health check ${drain.healthCheck} (UpdateHealthCheck Inverted=true at the version read just before), so the region's records are unhealthy`}
    return {
      actions: [action],
      fidelity: ['traffic moves after Route 53 evaluates the health check again and resolvers\' caches expire (the record TTL)'],
      ok: true,
      regions,
      state: {before: null, healthCheckId: drain.healthCheck, method: 'invert-health-check', version: null},
      target: `health check ${drain.healthCheck}`,
    }
  }
  const record = drain.weightedRecord
  return {
    actions: [{description: `UPSERT ${record.name} ${record.type} (${record.setIdentifier}) in ${record.hostedZoneId} with weight 0, from its exact before-image; wait until INSYNC`}],
    fidelity: [
      'traffic moves as resolvers\' caches expire (the record TTL)',
      'Route 53 still answers with a zero-weight record when every other record of the group is unhealthy',
    ],
    ok: true,
    regions,
    state: {before: null, changeId: null, comment: `rift ${context.runId} ${context.faultId}: drain ${region ?? record.setIdentifier}`, method: 'weight-zero', record},
    target: `record ${record.name} ${record.type} (${record.setIdentifier})`,
  }
}

/** inject/verify/revert for a drain, whichever method the plan chose. */
export const drainLifecycle: Pick<FaultDefinition<Route53DriverClient, unknown, DrainState>, 'inject' | 'revert' | 'verify'> = {
  inject: (context) =>
    context.state.method === 'invert-health-check'
      ? invertHealthCheck(context as Parameters<typeof invertHealthCheck>[0])
      : zeroWeight(context as Parameters<typeof zeroWeight>[0]),
  verify: (context) =>
    context.state.method === 'invert-health-check'
      ? verifyHealthCheck(context as Parameters<typeof verifyHealthCheck>[0])
      : verifyWeight(context as Parameters<typeof verifyWeight>[0]),
  revert: (context) =>
    context.state.method === 'invert-health-check'
      ? restoreHealthCheck(context as Parameters<typeof restoreHealthCheck>[0])
      : restoreWeight(context as Parameters<typeof restoreWeight>[0]),
}
