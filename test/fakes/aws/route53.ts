/**
 * A stateful fake of Amazon Route 53 (restXml, 2013-04-01), for the real @aws-sdk/client-route-53.
 *
 * Hosted zones hold record sets keyed by (name, type, set identifier); change batches are transactional
 * (CREATE of an existing set, or a DELETE that does not match exactly, fails the whole batch with
 * InvalidChangeBatch) and each change is PENDING for `insyncAfterPolls` GetChange calls, then INSYNC.
 * Health checks carry a version counter (a stale HealthCheckVersion is 409 HealthCheckVersionMismatch),
 * Inverted and Disabled, and an "endpoint up" switch the test controls. GetHealthCheckStatus reports the
 * checkers' raw view of the endpoint; TestDNSAnswer answers as Route 53 would route: failover, weighted
 * (the heaviest healthy record, deterministically) or simple, from each record's effective health
 * (Disabled → healthy; otherwise endpoint up, flipped by Inverted).
 */
import {randomUUID} from 'node:crypto'

import {XMLBuilder, XMLParser} from 'fast-xml-parser'

import {awsId, FakeService, ServiceError, type RecordedRequest, type Reply, type Route} from './fake-service.js'

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/'
/** Request members that are lists (xmlName of their entries); the parser only reads requests. */
const LISTS = new Set(['Change', 'ResourceRecord', 'ChildHealthCheck', 'Region', 'ResettableElementName'])
const parser = new XMLParser({ignoreAttributes: true, isArray: (name) => LISTS.has(name), parseTagValue: false})
const builder = new XMLBuilder({attributeNamePrefix: '@_', ignoreAttributes: false, suppressEmptyNode: false})

/** A record set as the wire spells it (model member order), names fully qualified with a trailing dot. */
export interface RecordSet {
  AliasTarget?: {DNSName: string; EvaluateTargetHealth: string; HostedZoneId: string}
  Failover?: 'PRIMARY' | 'SECONDARY'
  HealthCheckId?: string
  Name: string
  Region?: string
  ResourceRecords?: {ResourceRecord: {Value: string}[]}
  SetIdentifier?: string
  TTL?: string
  Type: string
  Weight?: string
}

export interface FakeHealthCheck {
  callerReference: string
  /** HealthCheckConfig members, as strings, in model order. */
  config: Record<string, string>
  /** What the checkers see: the endpoint answers. */
  endpointUp: boolean
  id: string
  version: number
}

export interface FakeChange {
  comment?: string
  id: string
  polls: number
  status: 'PENDING' | 'INSYNC'
  submittedAt: string
}

export class FakeRoute53 extends FakeService {
  readonly changes = new Map<string, FakeChange>()
  readonly healthChecks = new Map<string, FakeHealthCheck>()
  insyncAfterPolls = 1
  readonly zones = new Map<string, {name: string; records: RecordSet[]}>()

  // ------------------------------------------------------------ inspector and controls

  /** Forgets every zone, health check and change, and the controls. */
  reset(): void {
    this.zones.clear()
    this.healthChecks.clear()
    this.changes.clear()
    this.insyncAfterPolls = 1
    this.resetControls()
  }

  addZone(id: string, name: string): this {
    this.zones.set(id, {name: fqdn(name), records: []})
    return this
  }

  addRecord(zoneId: string, record: Omit<RecordSet, 'Name'> & {Name: string}): this {
    this.#zone(zoneId).records.push(normalise(record))
    return this
  }

  addHealthCheck(id: string, config: {fqdn: string; inverted?: boolean; ipAddress?: string; type?: string}): this {
    this.healthChecks.set(id, {
      callerReference: `hc-${id}`,
      config: {
        ...(config.ipAddress ? {IPAddress: config.ipAddress} : {}),
        Port: '443',
        Type: config.type ?? 'HTTPS',
        ResourcePath: '/health',
        FullyQualifiedDomainName: config.fqdn,
        RequestInterval: '30',
        FailureThreshold: '3',
        MeasureLatency: 'false',
        Inverted: String(config.inverted ?? false),
        Disabled: 'false',
        EnableSNI: 'true',
      },
      endpointUp: true,
      id,
      version: 1,
    })
    return this
  }

  /** What the checkers will see from now on. */
  setEndpoint(healthCheckId: string, up: boolean): void {
    this.#healthCheck(healthCheckId).endpointUp = up
  }

  /** Changes a health check behind the driver's back (another operator), bumping its version. */
  touchHealthCheck(id: string, config: Record<string, string> = {}): void {
    const check = this.#healthCheck(id)
    Object.assign(check.config, config)
    check.version += 1
  }

  healthCheck(id: string): FakeHealthCheck {
    return this.#healthCheck(id)
  }

  records(zoneId: string): RecordSet[] {
    return structuredClone(this.#zone(zoneId).records)
  }

  record(zoneId: string, name: string, type: string, setIdentifier?: string): RecordSet | undefined {
    return this.records(zoneId).find((record) => sameKey(record, {Name: fqdn(name), SetIdentifier: setIdentifier, Type: type}))
  }

  /** The effective health Route 53 routes by. */
  healthy(healthCheckId: string | undefined): boolean {
    if (!healthCheckId) return true
    const check = this.#healthCheck(healthCheckId)
    if (check.config.Disabled === 'true') return true
    return check.endpointUp !== (check.config.Inverted === 'true')
  }

  // ------------------------------------------------------------ protocol

  protected errorReply(status: number, code: string, message: string): Reply {
    return {
      body: `<?xml version="1.0"?>\n${builder.build({ErrorResponse: {'@_xmlns': NS, Error: {Type: status >= 500 ? 'Receiver' : 'Sender', Code: code, Message: message}, RequestId: randomUUID()}})}`,
      contentType: 'text/xml',
      status,
    }
  }

  protected route(method: string, path: string): Route | undefined {
    const parts = path.split('/').filter(Boolean).map((part) => decodeURIComponent(part))
    if (parts[0] !== '2013-04-01') return undefined
    const [, resource, id, sub] = parts
    const xml = (operation: string, root: string, handle: (request: RecordedRequest) => unknown): Route => ({
      handle: (request) => ({body: `<?xml version="1.0"?>\n${builder.build({[root]: {'@_xmlns': NS, ...(handle(request) as object)}})}`, contentType: 'text/xml', status: 200}),
      operation,
    })
    if (resource === 'healthcheck' && id) {
      if (method === 'GET' && sub === 'status') return xml('GetHealthCheckStatus', 'GetHealthCheckStatusResponse', () => this.#status(id))
      if (method === 'GET' && !sub) return xml('GetHealthCheck', 'GetHealthCheckResponse', () => ({HealthCheck: this.#healthCheckOut(this.#healthCheck(id))}))
      if (method === 'POST' && !sub) return xml('UpdateHealthCheck', 'UpdateHealthCheckResponse', (request) => this.#updateHealthCheck(id, request))
    }
    if (resource === 'hostedzone' && id && sub === 'rrset') {
      if (method === 'GET') return xml('ListResourceRecordSets', 'ListResourceRecordSetsResponse', (request) => this.#list(id, request.query))
      if (method === 'POST') return xml('ChangeResourceRecordSets', 'ChangeResourceRecordSetsResponse', (request) => this.#change(id, request))
    }
    if (resource === 'change' && id && method === 'GET') return xml('GetChange', 'GetChangeResponse', () => this.#getChange(id))
    if (resource === 'testdnsanswer' && method === 'GET') return xml('TestDNSAnswer', 'TestDNSAnswerResponse', (request) => this.#testDnsAnswer(request.query))
    return undefined
  }

  // ------------------------------------------------------------ health checks

  #healthCheck(id: string): FakeHealthCheck {
    const check = this.healthChecks.get(id)
    if (!check) throw new ServiceError(404, 'NoSuchHealthCheck', `A health check with id ${id} does not exist.`)
    return check
  }

  #healthCheckOut(check: FakeHealthCheck): unknown {
    return {Id: check.id, CallerReference: check.callerReference, HealthCheckConfig: check.config, HealthCheckVersion: String(check.version)}
  }

  #updateHealthCheck(id: string, request: RecordedRequest): unknown {
    const check = this.#healthCheck(id)
    const body = parser.parse(request.body).UpdateHealthCheckRequest ?? {}
    if (body.HealthCheckVersion !== undefined && Number(body.HealthCheckVersion) !== check.version) {
      throw new ServiceError(409, 'HealthCheckVersionMismatch', `The value of HealthCheckVersion in the request (${body.HealthCheckVersion}) doesn't match the current version (${check.version}).`)
    }
    for (const key of ['IPAddress', 'Port', 'ResourcePath', 'FullyQualifiedDomainName', 'SearchString', 'FailureThreshold', 'Inverted', 'Disabled', 'EnableSNI']) {
      if (body[key] !== undefined) check.config[key] = String(body[key])
    }
    check.version += 1
    return {HealthCheck: this.#healthCheckOut(check)}
  }

  #status(id: string): unknown {
    const check = this.#healthCheck(id)
    const checkers = ['us-east-1', 'us-west-2', 'eu-west-1']
    const now = new Date().toISOString()
    return {
      HealthCheckObservations: {
        HealthCheckObservation: checkers.map((region, index) => ({
          Region: region,
          IPAddress: `192.0.2.${index + 1}`,
          StatusReport: {Status: check.endpointUp ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out.', CheckedTime: now},
        })),
      },
    }
  }

  // ------------------------------------------------------------ records and changes

  #zone(id: string): {name: string; records: RecordSet[]} {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''))
    if (!zone) throw new ServiceError(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`)
    return zone
  }

  #list(zoneId: string, query: URLSearchParams): unknown {
    const zone = this.#zone(zoneId)
    const sorted = [...zone.records].sort(compareRecords)
    const name = query.get('name')
    const type = query.get('type')
    const identifier = query.get('identifier')
    const start = sorted.findIndex((record) => compareRecords(record, {Name: fqdn(name ?? '.'), SetIdentifier: identifier ?? undefined, Type: type ?? ''}) >= 0)
    const from = name ? (start === -1 ? sorted.length : start) : 0
    const max = Math.min(Number(query.get('maxitems') ?? 300), 300)
    const page = sorted.slice(from, from + max)
    const next = sorted[from + max]
    return {
      ResourceRecordSets: page.length > 0 ? {ResourceRecordSet: page} : '',
      IsTruncated: String(next !== undefined),
      ...(next ? {NextRecordName: next.Name, NextRecordType: next.Type, ...(next.SetIdentifier ? {NextRecordIdentifier: next.SetIdentifier} : {})} : {}),
      MaxItems: String(max),
    }
  }

  #change(zoneId: string, request: RecordedRequest): unknown {
    const zone = this.#zone(zoneId)
    const batch = parser.parse(request.body).ChangeResourceRecordSetsRequest?.ChangeBatch
    const changes = (batch?.Changes?.Change ?? []) as {Action: string; ResourceRecordSet: RecordSet}[]
    if (changes.length === 0) throw new ServiceError(400, 'InvalidInput', 'ChangeBatch has no changes.')
    const records = structuredClone(zone.records)
    const problems: string[] = []
    for (const {Action, ResourceRecordSet} of changes) {
      const record = normalise(ResourceRecordSet)
      const index = records.findIndex((existing) => sameKey(existing, record))
      const problem = checkRecord(record)
      if (problem) {
        problems.push(problem)
        continue
      }
      if (Action === 'CREATE') {
        if (index !== -1) problems.push(`Tried to create resource record set [name='${record.Name}', type='${record.Type}'] but it already exists`)
        else records.push(record)
      } else if (Action === 'DELETE') {
        if (index === -1 || JSON.stringify(records[index]) !== JSON.stringify(record)) problems.push(`Tried to delete resource record set [name='${record.Name}', type='${record.Type}'] but the values provided do not match the current values`)
        else records.splice(index, 1)
      } else if (Action === 'UPSERT') {
        if (index === -1) records.push(record)
        else records[index] = record
      } else problems.push(`Unknown action ${Action}`)
    }
    if (problems.length > 0) throw new ServiceError(400, 'InvalidChangeBatch', `[${problems.join(', ')}]`)
    zone.records = records
    const change: FakeChange = {id: awsId('C', 13), polls: 0, status: 'PENDING', submittedAt: new Date().toISOString(), ...(batch.Comment ? {comment: String(batch.Comment)} : {})}
    this.changes.set(change.id, change)
    return {ChangeInfo: changeOut(change)}
  }

  #getChange(id: string): unknown {
    const change = this.changes.get(id.replace(/^\/change\//, ''))
    if (!change) throw new ServiceError(404, 'NoSuchChange', `A change with the specified change ID does not exist: ${id}`)
    change.polls += 1
    if (change.polls >= this.insyncAfterPolls) change.status = 'INSYNC'
    return {ChangeInfo: changeOut(change)}
  }

  #testDnsAnswer(query: URLSearchParams): unknown {
    const zone = this.#zone(query.get('hostedzoneid') ?? '')
    const name = fqdn(query.get('recordname') ?? '')
    const type = query.get('recordtype') ?? 'A'
    const group = zone.records.filter((record) => record.Name === name && record.Type === type)
    const chosen = this.#route(group)
    return {
      Nameserver: 'ns-1.awsdns-01.org',
      RecordName: name,
      RecordType: type,
      RecordData: chosen.length > 0 ? {RecordDataEntry: chosen.flatMap((record) => values(record))} : '',
      ResponseCode: group.length > 0 ? 'NOERROR' : 'NXDOMAIN',
      Protocol: 'UDP',
    }
  }

  /** The record(s) Route 53 would answer with, by routing policy and effective health. */
  #route(group: RecordSet[]): RecordSet[] {
    if (group.length === 0) return []
    if (group.some((record) => record.Failover)) {
      const primary = group.find((record) => record.Failover === 'PRIMARY')
      const secondary = group.find((record) => record.Failover === 'SECONDARY')
      if (primary && this.healthy(primary.HealthCheckId)) return [primary]
      if (secondary && this.healthy(secondary.HealthCheckId)) return [secondary]
      return primary ? [primary] : []
    }
    if (group.some((record) => record.Weight !== undefined)) {
      const healthy = group.filter((record) => this.healthy(record.HealthCheckId))
      const pool = healthy.length > 0 ? healthy : group // all unhealthy: Route 53 treats all as healthy
      const nonZero = pool.filter((record) => Number(record.Weight) > 0)
      const candidates = nonZero.length > 0 ? nonZero : pool
      const heaviest = [...candidates].sort((a, b) => Number(b.Weight) - Number(a.Weight))[0]!
      return [heaviest]
    }
    return group
  }
}

/** What identifies a record set within a zone. */
type RecordKey = {Name: string; SetIdentifier?: string | undefined; Type: string}

function fqdn(name: string): string {
  return name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`
}

/** Model member order, names qualified, so a stored set and a sent set compare equal. */
function normalise(record: RecordSet): RecordSet {
  const order = ['Name', 'Type', 'SetIdentifier', 'Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer', 'TTL', 'ResourceRecords', 'AliasTarget', 'HealthCheckId'] as const
  const source = {...record, Name: fqdn(record.Name)} as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (const key of order) if (source[key] !== undefined && source[key] !== '') result[key] = source[key]
  return result as unknown as RecordSet
}

function checkRecord(record: RecordSet): string | undefined {
  if (record.Weight !== undefined) {
    const weight = Number(record.Weight)
    if (!Number.isInteger(weight) || weight < 0 || weight > 255) return `Weight ${record.Weight} is not between 0 and 255`
    if (!record.SetIdentifier) return 'A weighted record needs a SetIdentifier'
  }
  if (!record.AliasTarget && !record.ResourceRecords) return `Record ${record.Name} has neither ResourceRecords nor AliasTarget`
  return undefined
}

function sameKey(a: RecordKey, b: RecordKey): boolean {
  return a.Name === b.Name && a.Type === b.Type && (a.SetIdentifier ?? '') === (b.SetIdentifier ?? '')
}

/** Route 53's listing order: labels reversed, then type, then set identifier. */
function compareRecords(a: RecordKey, b: RecordKey): number {
  const key = (record: RecordKey): string => `${record.Name.split('.').reverse().join('.')}\u0000${record.Type}\u0000${record.SetIdentifier ?? ''}`
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
}

function values(record: RecordSet): string[] {
  if (record.AliasTarget) return [record.AliasTarget.DNSName]
  return (record.ResourceRecords?.ResourceRecord ?? []).map((entry) => entry.Value)
}

function changeOut(change: FakeChange): unknown {
  return {Id: `/change/${change.id}`, Status: change.status, SubmittedAt: change.submittedAt, ...(change.comment ? {Comment: change.comment} : {})}
}
