import {z} from 'zod'

import {duration} from '../../experiment/schema.js'
import {parseDuration} from '../../util/duration.js'
import {AWS_REGION} from '../aws/regions.js'

const alarmArn = z.string().regex(/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/, 'expected a CloudWatch alarm ARN, arn:aws:cloudwatch:<region>:<account>:alarm:<name>')
const url = z.url({protocol: /^https?$/})

export const fisConfigSchema = z.strictObject({
  /** Endpoint overrides (tests, VPC endpoints). Otherwise AWS_ENDPOINT_URL_FIS / _STS, then the SDK's default. */
  endpoints: z.strictObject({fis: url.optional(), sts: url.optional()}).default({}),
  /** What FIS does when a target matches nothing: `fail` the experiment (so the fault is seen not to land) or `skip` the action. */
  emptyTargets: z.enum(['fail', 'skip']).default('fail'),
  /** What a region outage or partition isolates: subnets (route tables) and/or transit gateway peering attachments. */
  isolate: z.array(z.enum(['subnets', 'transit-gateways'])).min(1).default(['subnets']),
  /** Keep the experiment templates after the run (they are deleted by default; experiments stay 120 days either way). */
  keepTemplates: z.boolean().default(false),
  /** Sources for the latency document, per destination region: CIDRs and host names, comma-separated. */
  latencySources: z.record(z.string(), z.string().regex(/^\S+$/, 'a comma-separated list without spaces')).default({}),
  /** A CloudWatch Logs log group ARN for FIS experiment logs. */
  logGroupArn: z.string().regex(/^arn:aws[a-z-]*:logs:/, 'expected a CloudWatch Logs log group ARN').optional(),
  /** SDK attempts per call, retries included (throttling is retried with backoff). */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** How often experiment states are read. */
  pollInterval: duration.default('5s'),
  /** Topology region name → AWS region, when the topology does not use AWS region names. */
  regions: z.record(z.string(), z.string().regex(AWS_REGION, 'expected an AWS region such as us-east-1')).default({}),
  /** What the replication-pause fault pauses. */
  replication: z.array(z.enum(['s3', 'dynamodb'])).min(1).default(['s3', 'dynamodb']),
  /** The IAM role FIS assumes to act (trust principal fis.amazonaws.com). */
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN, arn:aws:iam::<account>:role/<name>'),
  /** How long an experiment may take to reach `running` (target resolution), or `stopped` after a stop. */
  startTimeout: duration.default('5m'),
  /** CloudWatch alarms FIS watches: when one goes to ALARM, FIS stops the experiment by itself (1 to 5). */
  stopConditions: z.array(alarmArn).min(1, 'name at least one CloudWatch alarm that stops the experiment').max(5),
  /** The region STS is asked in (GetCallerIdentity, the account check). */
  stsRegion: z.string().regex(AWS_REGION).default('us-east-1'),
})
export type FisConfig = z.output<typeof fisConfigSchema>

export function configMs(text: string): number {
  const parsed = parseDuration(text)
  return parsed.ok ? parsed.ms : 0
}
