/**
 * Draining by weight: UPSERT the region's weighted record with Weight 0, from an exact before-image of the
 * record set (ledgered before the change), and put the before-image back on revert. Each change is
 * waited on until INSYNC, when every Route 53 name server answers with it.
 */
import type {ResourceRecordSet} from '@aws-sdk/client-route-53'

import type {FaultContext, Json, RevertOutcome, Verification} from '../define.js'
import {pollUntil} from '../aws/poll.js'
import type {Route53DriverClient} from './client.js'
import type {WeightedRecord} from './config.js'

export interface WeightedRecordState {
  [key: string]: Json
  /** The record set exactly as read before rift changed it; null until then. */
  before: Json
  changeId: string | null
  comment: string
  method: 'weight-zero'
  record: WeightedRecord & Json
}

const fqdn = (name: string): string => (name.endsWith('.') ? name : `${name}.`).toLowerCase()

export async function findRecord(client: Route53DriverClient, record: WeightedRecord, signal: AbortSignal): Promise<ResourceRecordSet | undefined> {
  const page = await client.route53.send(
    new client.sdk.ListResourceRecordSetsCommand({
      HostedZoneId: record.hostedZoneId,
      MaxItems: 100,
      StartRecordIdentifier: record.setIdentifier,
      StartRecordName: record.name,
      StartRecordType: record.type as never,
    }),
    {abortSignal: signal},
  )
  return page.ResourceRecordSets?.find(
    (candidate) => fqdn(candidate.Name ?? '') === fqdn(record.name) && candidate.Type === record.type && candidate.SetIdentifier === record.setIdentifier,
  )
}

/** UPSERTs a record set and waits until the change is INSYNC. */
async function upsert(client: Route53DriverClient, state: WeightedRecordState, recordSet: ResourceRecordSet, signal: AbortSignal): Promise<string> {
  const {ChangeInfo: info} = await client.route53.send(
    new client.sdk.ChangeResourceRecordSetsCommand({
      ChangeBatch: {Changes: [{Action: 'UPSERT', ResourceRecordSet: recordSet}], Comment: state.comment},
      HostedZoneId: state.record.hostedZoneId,
    }),
    {abortSignal: signal},
  )
  const id = info?.Id ?? ''
  await pollUntil(
    async () => (await client.route53.send(new client.sdk.GetChangeCommand({Id: id}), {abortSignal: signal})).ChangeInfo?.Status,
    (status) => status === 'INSYNC',
    {intervalMs: client.pollMs, signal, timeoutMs: client.syncTimeoutMs, what: `Route 53 change ${id} to be INSYNC`},
  )
  return id
}

function describe(record: WeightedRecord): string {
  return `${record.name} ${record.type} (${record.setIdentifier}) in ${record.hostedZoneId}`
}

export async function zeroWeight({checkpoint, client, signal, state}: FaultContext<Route53DriverClient, WeightedRecordState>): Promise<WeightedRecordState> {
  const current = await findRecord(client, state.record, signal)
  if (!current) throw new Error(`no record ${describe(state.record)}`)
  if (current.Weight === undefined) throw new Error(`record ${describe(state.record)} is not a weighted record`)
  if (current.Weight === 0) throw new Error(`record ${describe(state.record)} already has weight 0 (a previous run that was not rolled back? try: rift rollback --all)`)
  const next: WeightedRecordState = {...state, before: JSON.parse(JSON.stringify(current)) as Json}
  await checkpoint?.(next)
  signal.throwIfAborted()
  return {...next, changeId: await upsert(client, next, {...current, Weight: 0}, signal)}
}

export async function verifyWeight({client, signal, state}: FaultContext<Route53DriverClient, WeightedRecordState>): Promise<Verification> {
  const current = await findRecord(client, state.record, signal)
  if (current?.Weight !== 0) return {detail: `record ${describe(state.record)} has weight ${current?.Weight ?? 'none (record missing)'}`, landed: false}
  return {detail: `record ${describe(state.record)} has weight 0 (was ${(state.before as {Weight?: number} | null)?.Weight}), change ${state.changeId} INSYNC`, landed: true}
}

export async function restoreWeight({client, log, signal, state}: FaultContext<Route53DriverClient, WeightedRecordState>): Promise<RevertOutcome> {
  if (!state.before) return 'already-reverted'
  const before = state.before as unknown as ResourceRecordSet
  const current = await findRecord(client, state.record, signal)
  if (current && JSON.stringify(normalise(current)) === JSON.stringify(normalise(before))) return 'already-reverted'
  if (current && current.Weight !== 0) log.warn(`record ${describe(state.record)} changed since rift set its weight to 0 (weight now ${current.Weight}); rift restores the record as it was before the run`)
  await upsert(client, state, before, signal)
  return 'reverted'
}

/** For comparing a record set read now with the before-image: names qualified, keys in one order. */
function normalise(record: ResourceRecordSet): Json {
  const entries = Object.entries({...record, Name: fqdn(record.Name ?? '')}).filter(([, value]) => value !== undefined)
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) as Json
}
