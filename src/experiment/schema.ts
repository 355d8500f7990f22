/**
 * The `rift/v1` experiment format: one zod schema, from which the TypeScript types are inferred and
 * schemas/experiment.schema.json is generated (`npm run schema`). Structural rules live here; rules that
 * need the whole document (references to regions and links, SLO objectives, driver names) live in check.ts.
 */
import {z} from 'zod'

import {MAX_REGIONS} from '../sandbox/regions.js'
import {PATTERNS, REPLICATION_MODES} from '../sandbox/types.js'
import {DURATION_PATTERN, parseDuration} from '../util/duration.js'

export const EXPERIMENT_VERSION = 'rift/v1'

/** A duration string such as `500ms`, `10s`, `5m` or `1m30s`. Kept as written; engines convert with `toMs`. */
export const duration = z
  .string()
  .check((ctx) => {
    const parsed = parseDuration(ctx.value)
    if (!parsed.ok) ctx.issues.push({code: 'custom', input: ctx.value, message: parsed.reason})
  })
  .meta({description: 'A duration: 500ms, 10s, 5m, 1h or combinations such as 1m30s', pattern: DURATION_PATTERN})
export type Duration = z.infer<typeof duration>

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case name (lowercase letters, digits and dashes)')
const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):\d{1,5}$/, 'expected host:port, for example 127.0.0.1:7001')
/** `<driver>.<action>`: a driver's own action or probe, the escape hatch below the region vocabulary. */
export const driverQualifiedName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/, 'expected <driver>.<name>, for example memory.cut-link')

// ---------------------------------------------------------------- topology

export const regionSchema = z.union([
  name,
  z.strictObject({
    name,
    /** Named services of the region, such as `api: 127.0.0.1:8080`. */
    services: z.record(z.string(), z.string()).optional(),
    /** Tags that live drivers use to find the region's resources. */
    tags: z.record(z.string(), z.string()).optional(),
  }),
])

/** `clients` is the pseudo-region of the users; a link from it is the path users take into a region. */
export const CLIENTS = 'clients'

export const linkSchema = z.strictObject({
  from: name.meta({description: 'a region, or "clients"'}),
  /** Which kind of traffic the link carries; replication faults only touch replication links. */
  kind: z.enum(['client', 'replication', 'service']).optional(),
  /** Where clients of the link connect: a proxy-based driver's listener for it. */
  listen: hostPort.optional(),
  name,
  /** What the link carries, so a driver can check a fault from outside (an HTTP request through it). */
  protocol: z.enum(['tcp', 'http']).optional(),
  to: name,
  /** Where the real service listens; proxy-based drivers put their listener in front of it. */
  upstream: hostPort.optional(),
})
export type Link = z.infer<typeof linkSchema>

export const topologySchema = z.strictObject({
  links: z.array(linkSchema).default([]),
  regions: z.array(regionSchema).min(1, 'declare at least one region'),
})

// ---------------------------------------------------------------- probes and tolerances

/** What a probe's value must be. Each form is tagged, so `[200, 299]` never means two things. */
export const toleranceSchema = z.union([
  z.strictObject({equals: z.json()}),
  z.strictObject({oneOf: z.array(z.json()).min(1)}),
  z.strictObject({range: z.tuple([z.number(), z.number()])}),
  z.strictObject({atLeast: z.number()}),
  z.strictObject({atMost: z.number()}),
  z.strictObject({regex: z.string()}),
])
export type Tolerance = z.infer<typeof toleranceSchema>

const probeCommon = {
  /** A label for reports; defaults to a description of the probe. */
  name: z.string().min(1).optional(),
}

export const httpProbeSchema = z.strictObject({
  ...probeCommon,
  http: z.strictObject({
    body: z.string().optional(),
    expect: z
      .strictObject({
        bodyContains: z.string().optional(),
        status: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
      })
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
    timeout: duration.default('5s'),
    url: z.url({protocol: /^https?$/, error: 'expected an http:// or https:// URL'}),
  }),
})

export const tcpProbeSchema = z.strictObject({
  ...probeCommon,
  tcp: z.strictObject({
    address: hostPort,
    /** `refused` checks that the port is closed, as after a region outage. */
    expect: z.enum(['open', 'refused']).default('open'),
    timeout: duration.default('2s'),
  }),
})

export const commandProbeSchema = z.strictObject({
  ...probeCommon,
  command: z.strictObject({
    expect: z
      .strictObject({exitCode: z.number().int().default(0), stdoutContains: z.string().optional()})
      .default({exitCode: 0}),
    /** argv form; no shell is involved, so nothing is interpolated. */
    run: z.array(z.string()).min(1),
    timeout: duration.default('10s'),
  }),
})

export const driverProbeSchema = z.strictObject({
  ...probeCommon,
  driver: name.optional(),
  expect: toleranceSchema.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  probe: driverQualifiedName,
})

export const probeSchema = z.union([httpProbeSchema, tcpProbeSchema, commandProbeSchema, driverProbeSchema])
export type Probe = z.infer<typeof probeSchema>
/** The key that tells each probe form apart, in the order of `probeSchema`'s options. */
export const PROBE_KEYS = ['http', 'tcp', 'command', 'probe'] as const

// ---------------------------------------------------------------- faults

const faultCommon = {
  /** Return to the method at once and hold the fault in the background until its duration ends. */
  background: z.boolean().default(false),
  /** Use another configured driver than the experiment's default. */
  driver: name.optional(),
  duration,
  name: z.string().min(1).optional(),
}
const direction = z.enum(['one-way', 'both']).default('both')
const betweenRegions = {from: name, to: name}

export const FAULT_KINDS = [
  'region-outage',
  'latency',
  'partition',
  'bandwidth',
  'replication-pause',
  'replica-corruption',
  'dns-failover',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export const faultSchemas = {
  bandwidth: z.strictObject({
    ...faultCommon,
    ...betweenRegions,
    direction,
    fault: z.literal('bandwidth'),
    kilobytesPerSecond: z.number().int().positive(),
  }),
  'dns-failover': z.strictObject({
    ...faultCommon,
    fault: z.literal('dns-failover'),
    /** The region drained from DNS. */
    region: name,
  }),
  latency: z.strictObject({
    ...faultCommon,
    ...betweenRegions,
    direction,
    fault: z.literal('latency'),
    jitter: duration.default('0ms'),
    latency: duration,
  }),
  partition: z.strictObject({...faultCommon, ...betweenRegions, direction, fault: z.literal('partition')}),
  'region-outage': z.strictObject({
    ...faultCommon,
    fault: z.literal('region-outage'),
    /** blackhole: data swallowed; reject: connections refused; reset: connections reset. */
    mode: z.enum(['blackhole', 'reject', 'reset']).default('blackhole'),
    region: name,
  }),
  'replica-corruption': z.strictObject({
    ...faultCommon,
    ...betweenRegions,
    fault: z.literal('replica-corruption'),
    mode: z.enum(['bitflip', 'truncate']).default('bitflip'),
    /** Probability that a byte in flight is corrupted, from 0 to 1. */
    rate: z.number().gt(0).max(1).default(0.001),
  }),
  'replication-pause': z.strictObject({...faultCommon, ...betweenRegions, fault: z.literal('replication-pause')}),
} satisfies Record<FaultKind, z.ZodObject>

export const faultStepSchema = z.discriminatedUnion('fault', [
  faultSchemas['region-outage'],
  faultSchemas.latency,
  faultSchemas.partition,
  faultSchemas.bandwidth,
  faultSchemas['replication-pause'],
  faultSchemas['replica-corruption'],
  faultSchemas['dns-failover'],
])
export type FaultStep = z.infer<typeof faultStepSchema>

/** A driver's own action, below the region vocabulary; reverted like any fault. */
export const actionStepSchema = z.strictObject({
  ...faultCommon,
  action: driverQualifiedName,
  params: z.record(z.string(), z.unknown()).default({}),
})
export type ActionStep = z.infer<typeof actionStepSchema>

export const waitStepSchema = z.strictObject({name: z.string().min(1).optional(), wait: duration})

export const methodStepSchema = z.union([
  waitStepSchema,
  faultStepSchema,
  actionStepSchema,
  httpProbeSchema,
  tcpProbeSchema,
  commandProbeSchema,
  driverProbeSchema,
])
export type MethodStep = z.infer<typeof methodStepSchema>
/** The key that tells each step form apart, in the order of `methodStepSchema`'s options. */
export const STEP_KEYS = ['wait', 'fault', 'action', 'http', 'tcp', 'command', 'probe'] as const

// ---------------------------------------------------------------- workload, SLOs, guardrails

const rate = z.string().regex(/^\d+(\.\d+)?\/(s|m)$/, 'expected a rate like 50/s or 600/m')

/** The built-in load generator's schedule: a constant arrival rate with bounded concurrency. */
export const loadSchema = z.strictObject({
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Outstanding requests at most; requests due beyond it are dropped and counted, not queued. */
  maxInFlight: z.number().int().min(1).max(10_000).default(100),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
  rate: rate.default('100/s'),
  /** An http(s) URL; in a sandbox experiment `{{router}}` stands for the router's URL. */
  target: z.string().refine((text) => isHttpUrl(text.replaceAll('{{router}}', 'http://127.0.0.1')), 'expected an http:// or https:// URL ({{router}} stands for a sandbox\'s router)'),
  timeout: duration.default('2s'),
})

function isHttpUrl(text: string): boolean {
  try {
    const {protocol} = new URL(text)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/** A table name, optionally schema-qualified; quoted by the SQL adapter, so plain identifiers only. */
const sqlTable = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'expected a table name such as rift_ledger or app.rift_ledger')

/**
 * The write ledger talks HTTP (`write`/`read` request templates) or SQL (`sql`: rows written with INSERT
 * and read back with SELECT through the `pg` client). Exactly one of the two forms.
 */
export const ledgerSchema = z
  .strictObject({
    read: z.string().min(1).optional(),
    rate: rate.default('50/s'),
    sql: z
      .strictObject({
        /** Created if missing: `(key text, value text, written_at timestamptz)`, indexed on key. */
        table: sqlTable.default('rift_ledger'),
        /** `postgres://user:password@host:port/database`: where clients connect (a proxy listener in front of the primary). */
        url: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL, for example postgres://postgres@127.0.0.1:5432/postgres'),
      })
      .optional(),
    write: z.string().min(1).optional(),
  })
  .check((ctx) => {
    const {read, sql, write} = ctx.value
    const http = read !== undefined || write !== undefined
    const problem =
      sql !== undefined && http
        ? 'give either sql or write and read, not both'
        : sql === undefined && write === undefined && read === undefined
          ? 'give write and read (HTTP request templates) or sql: {url} (a PostgreSQL table)'
          : sql === undefined && (write === undefined || read === undefined)
            ? `give ${write === undefined ? 'write' : 'read'} as well: the HTTP ledger needs both templates`
            : undefined
    if (problem !== undefined) ctx.issues.push({code: 'custom', input: ctx.value, message: problem})
  })
  // The same rule for editors, which see only the JSON Schema.
  .meta({oneOf: [{required: ['write', 'read']}, {required: ['sql']}]})
export type LedgerSpec = z.infer<typeof ledgerSchema>

/** What runs alongside the method and measures what users feel; see docs/workloads.md. */
export const workloadSchema = z.strictObject({
  /**
   * The user's k6 script, run when a k6 binary is found (K6_BIN or PATH); `load` is then the schedule the
   * script is given (`__ENV.RIFT_*`) and the built-in generator runs it instead when k6 is absent.
   */
  k6: z.strictObject({env: z.record(z.string(), z.string()).optional(), script: z.string().min(1)}).optional(),
  ledger: ledgerSchema.optional(),
  load: loadSchema.optional(),
  prober: z
    .strictObject({
      interval: duration.default('100ms'),
      target: z.string().min(1),
      timeout: duration.default('1s'),
    })
    .optional(),
})

export const SLO_NAMES = [
  'failoverTime',
  'dataLoss',
  'rpo',
  'availability',
  'errorRate',
  'p50',
  'p90',
  'p95',
  'p99',
  'p999',
] as const
export type SloName = (typeof SLO_NAMES)[number]

/**
 * What src/measure/objective.ts reads, as a regular expression for editors (JSON Schema only; rift itself
 * parses objectives in check.ts, with better messages than a pattern mismatch).
 */
export const OBJECTIVE_PATTERN = '^\\s*(<=|>=|==|!=|<|>)\\s*\\d+(\\.\\d+)?(\\s*%|(ms|s|m|h)(\\d+(\\.\\d+)?(ms|s|m|h))*)?\\s*$'
const objective = z
  .string()
  .meta({description: 'A comparison and a value: "<= 10s", "< 300ms", "== 0", ">= 99.5%"', pattern: OBJECTIVE_PATTERN})

/** Objectives such as `"<= 10s"`, `"== 0"`, `">= 99.5%"`; parsed and checked in check.ts. */
export const slosSchema = z
  .record(z.string(), objective)
  .meta({description: 'SLO name → objective; probe:<name> judges a named probe\'s value', propertyNames: {anyOf: [{enum: [...SLO_NAMES]}, {pattern: '^probe:.+$'}]}})

/** YAML reads an unquoted 123456789012 as a number, and a leading zero would be lost: ids are quoted strings. */
const awsAccountId = z.string({error: 'expected a 12-digit AWS account id as a quoted string, such as "123456789012"'}).regex(/^\d{12}$/, 'expected a 12-digit AWS account id, such as "123456789012"')

export const guardrailsSchema = z.strictObject({
  abortIf: z.strictObject({errorRate: objective, for: duration.default('0s')}).optional(),
  /**
   * The AWS accounts live drivers may change. Required when a live driver is used: the credentials' account
   * (STS GetCallerIdentity) is checked against it before anything changes.
   */
  allowAccounts: z.array(awsAccountId).min(1).optional(),
  /** Refuse to run faults on regions not in this list. Required when a live driver is used. */
  allowRegions: z.array(name).optional(),
  /** The whole run, including rollback, must end within this; the method is stopped when it is reached. */
  maxDuration: duration.default('30m'),
})

// ---------------------------------------------------------------- the document

/** `memory` or `{memory: {...config}}`; several keys configure several drivers, the first is the default. */
export const driverConfigSchema = z.union([
  name,
  z
    .record(name, z.record(z.string(), z.unknown()).nullable())
    .refine((value) => Object.keys(value).length > 0, 'configure at least one driver'),
])

/**
 * `sandbox: active-passive`, or `{pattern, regions, replication}`: the runner starts rift's practice system
 * before the run and stops it after; its regions and links are the topology, and the driver defaults to
 * toxiproxy on the sandbox's own fault proxy.
 */
export const sandboxSchema = z.union([
  z.enum(PATTERNS),
  z.strictObject({
    pattern: z.enum(PATTERNS),
    regions: z.number().int().min(1).max(MAX_REGIONS).default(2),
    replication: z.enum(REPLICATION_MODES).optional(),
  }),
])

export const experimentSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  driver: driverConfigSchema,
  guardrails: guardrailsSchema.default({maxDuration: '30m'}),
  method: z.array(methodStepSchema).min(1, 'the method needs at least one step'),
  slos: slosSchema.default({}),
  sandbox: sandboxSchema.optional(),
  steadyState: z.array(probeSchema).default([]),
  tags: z.array(z.string()).default([]),
  title: z.string().min(1, 'give the experiment a title that says what it shows'),
  topology: topologySchema,
  version: z.literal(EXPERIMENT_VERSION, {error: `expected version: ${EXPERIMENT_VERSION}`}),
  workload: workloadSchema.optional(),
})

/** The parsed document, with defaults applied. */
export type ExperimentDocument = z.infer<typeof experimentSchema>
export type ExperimentInput = z.input<typeof experimentSchema>
