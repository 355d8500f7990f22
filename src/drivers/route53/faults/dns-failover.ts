import {faultSchemas} from '../../../experiment/schema.js'
import type {FaultDefinition} from '../../define.js'
import type {Route53DriverClient} from '../client.js'
import type {Route53Config} from '../config.js'
import {drainLifecycle, drainPlan, type DrainState} from './drain.js'

type Step = ReturnType<(typeof faultSchemas)['dns-failover']['parse']>

/** Drain a region from DNS, the way the driver's config says for that region. */
export const dnsFailover: FaultDefinition<Route53DriverClient, Step, DrainState> = {
  ...drainLifecycle,
  params: faultSchemas['dns-failover'],
  plan(step, context) {
    const config = context.config as Route53Config | undefined
    const drain = config?.regions[step.region]
    if (!drain) {
      return {
        ok: false,
        reason: `the route53 driver does not know how to drain region "${step.region}"`,
        suggestions: [
          `Name its health check: driver: {route53: {regions: {${step.region}: {healthCheck: <health-check-id>}}}}`,
          `Or its weighted record: driver: {route53: {regions: {${step.region}: {weightedRecord: {hostedZoneId: Z…, name: api.example.com, setIdentifier: ${step.region}}}}}}`,
        ],
      }
    }
    return drainPlan(drain, context, step.region)
  },
  summary: 'drain a region from DNS: invert its health check, or set its weighted record to 0',
}
