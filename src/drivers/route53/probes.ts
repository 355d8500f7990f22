/**
 * What Route 53 sees and says. `health-check`: the checkers' observations (GetHealthCheckStatus reports
 * the endpoint as the checkers see it) and the check's Inverted/Disabled settings, combined into the
 * health Route 53 routes by. `dns-answer`: TestDNSAnswer, the answer Route 53 would give now.
 */
import {z} from 'zod'

import type {ProbeDefinition} from '../define.js'
import type {Route53DriverClient} from './client.js'
import {healthCheckIdSchema} from './config.js'

/** Route 53 considers an endpoint healthy when more than 18% of its checkers do. */
const HEALTHY_FRACTION = 0.18

const healthParams = z.strictObject({healthCheckId: healthCheckIdSchema})

export const healthCheckProbe: ProbeDefinition<Route53DriverClient, z.output<typeof healthParams>> = {
  params: healthParams,
  async run({client, params, signal}) {
    const {HealthCheck: check} = await client.route53.send(new client.sdk.GetHealthCheckCommand({HealthCheckId: params.healthCheckId}), {abortSignal: signal})
    const {HealthCheckObservations: observations = []} = await client.route53.send(new client.sdk.GetHealthCheckStatusCommand({HealthCheckId: params.healthCheckId}), {abortSignal: signal})
    const healthy = observations.filter((observation) => observation.StatusReport?.Status?.startsWith('Success')).length
    const endpointHealthy = observations.length > 0 && healthy / observations.length > HEALTHY_FRACTION
    const inverted = Boolean(check?.HealthCheckConfig?.Inverted)
    const disabled = Boolean(check?.HealthCheckConfig?.Disabled)
    return {
      checkers: observations.length,
      checkersHealthy: healthy,
      disabled,
      endpointHealthy,
      healthy: disabled || endpointHealthy !== inverted,
      inverted,
      version: check?.HealthCheckVersion ?? null,
    }
  },
  summary: 'a health check: {healthy, endpointHealthy, inverted, disabled, checkers, checkersHealthy, version}; healthy is what Route 53 routes by',
}

const answerParams = z.strictObject({
  /** Simulate a client in this subnet (EDNS0 client subnet), for latency and geo routing. */
  clientSubnet: z.string().regex(/^[0-9a-f.:]+\/\d{1,3}$/, 'expected a subnet such as 203.0.113.0/24').optional(),
  hostedZoneId: z.string().min(1),
  recordName: z.string().min(1),
  recordType: z.string().regex(/^[A-Z]+$/).default('A'),
})

export const dnsAnswerProbe: ProbeDefinition<Route53DriverClient, z.output<typeof answerParams>> = {
  params: answerParams,
  async run({client, params, signal}) {
    const [ip, mask] = params.clientSubnet?.split('/') ?? []
    const answer = await client.route53.send(
      new client.sdk.TestDNSAnswerCommand({
        HostedZoneId: params.hostedZoneId,
        RecordName: params.recordName,
        RecordType: params.recordType as never,
        ...(ip && mask ? {EDNS0ClientSubnetIP: ip, EDNS0ClientSubnetMask: mask} : {}),
      }),
      {abortSignal: signal},
    )
    return {answers: answer.RecordData ?? [], responseCode: answer.ResponseCode ?? null}
  },
  summary: 'what Route 53 answers for a name now (TestDNSAnswer): {answers, responseCode}',
}
