import {z} from 'zod'

import type {FaultDefinition} from '../../define.js'
import type {Route53DriverClient} from '../client.js'
import {healthCheckIdSchema, weightedRecordSchema} from '../config.js'
import {drainLifecycle, drainPlan, type DrainState} from './drain.js'

const invertParams = z.strictObject({healthCheckId: healthCheckIdSchema})

/** `route53.invert-health-check`: any health check, without a region in the config. */
export const invertHealthCheckAction: FaultDefinition<Route53DriverClient, z.output<typeof invertParams>, DrainState> = {
  ...drainLifecycle,
  params: invertParams,
  plan: (params, context) => drainPlan({healthCheck: params.healthCheckId}, context, undefined),
  summary: 'invert a health check: {healthCheckId}',
}

/** `route53.zero-weight`: any weighted record. */
export const zeroWeightAction: FaultDefinition<Route53DriverClient, z.output<typeof weightedRecordSchema>, DrainState> = {
  ...drainLifecycle,
  params: weightedRecordSchema,
  plan: (params, context) => drainPlan({weightedRecord: params}, context, undefined),
  summary: 'set a weighted record to weight 0: {hostedZoneId, name, type, setIdentifier}',
}
