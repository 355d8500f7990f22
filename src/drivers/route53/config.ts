import {z} from 'zod'

import {duration} from '../../experiment/schema.js'
import {parseDuration} from '../../util/duration.js'
import {AWS_REGION} from '../aws/regions.js'

const url = z.url({protocol: /^https?$/})

export const weightedRecordSchema = z.strictObject({
  /** The hosted zone, `Z…` (a `/hostedzone/` prefix is fine). */
  hostedZoneId: z.string().regex(/^(\/hostedzone\/)?[A-Z0-9]+$/, 'expected a hosted zone id such as Z0123456789ABCDEFGHIJ'),
  name: z.string().min(1),
  /** The region's record in the weighted group. */
  setIdentifier: z.string().min(1),
  type: z.string().regex(/^[A-Z]+$/, 'expected a record type such as A or AAAA').default('A'),
})
export type WeightedRecord = z.output<typeof weightedRecordSchema>

export const healthCheckIdSchema = z.string().regex(/^[0-9a-f-]{36}$/, 'expected a health check id, a UUID')

/** How a region is drained: its health check inverted, or its weighted record set to weight 0. */
export const drainSchema = z.union([
  z.strictObject({healthCheck: healthCheckIdSchema}),
  z.strictObject({weightedRecord: weightedRecordSchema}),
])
export type Drain = z.output<typeof drainSchema>

export const route53ConfigSchema = z.strictObject({
  /** Endpoint overrides (tests). Otherwise AWS_ENDPOINT_URL_ROUTE_53 / _STS, then the SDK's default. */
  endpoints: z.strictObject({route53: url.optional(), sts: url.optional()}).default({}),
  /** SDK attempts per call, retries included (Throttling and PriorRequestNotComplete are retried with backoff). */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** How often a change is polled until INSYNC. */
  pollInterval: duration.default('5s'),
  /** Topology region → how to drain it from DNS. */
  regions: z.record(z.string(), drainSchema).default({}),
  /** The region STS is asked in (GetCallerIdentity, the account check). */
  stsRegion: z.string().regex(AWS_REGION).default('us-east-1'),
  /** How long a change may take to reach INSYNC. */
  syncTimeout: duration.default('5m'),
})
export type Route53Config = z.output<typeof route53ConfigSchema>

export function configMs(text: string): number {
  const parsed = parseDuration(text)
  return parsed.ok ? parsed.ms : 0
}
