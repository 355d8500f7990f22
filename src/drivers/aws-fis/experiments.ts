/**
 * The life of one FIS experiment, as rift drives it: create the template and start the experiment with
 * idempotency tokens (a retry returns the same ones), wait until it runs, and stop it — where an experiment
 * already over counts as already reverted. When the id was never saved (a crash between StartExperiment
 * and the ledger), the experiment is found again by its rift tags.
 */
import type {StartExperimentCommandInput} from '@aws-sdk/client-fis'

import type {Logger, RevertOutcome} from '../define.js'
import {describeAwsError, isAwsError} from '../aws/errors.js'
import {pollUntil} from '../aws/poll.js'
import type {FisDriverClient} from './client.js'
import {TAG_FAULT, TAG_RUN, type PlannedExperiment} from './template.js'

/** Over, one way or another. (`cancelled`, by the safety lever, is newer than the 3.523 SDK's enum.) */
export const TERMINAL: readonly string[] = ['completed', 'stopped', 'failed', 'cancelled']

export interface ExperimentView {
  actions: {name: string; status: string}[]
  id: string
  reason: string
  status: string
}

interface Ids {
  faultId: string
  runId: string
}

/** CreateExperimentTemplate then StartExperiment; fills in both ids. */
export async function createAndStart(client: FisDriverClient, planned: PlannedExperiment, ids: Ids, signal: AbortSignal, extra: Partial<StartExperimentCommandInput> = {}): Promise<void> {
  const fis = client.fis(planned.region)
  const {CreateExperimentTemplateCommand, StartExperimentCommand} = client.sdk
  if (!planned.templateId) {
    const created = await fis.send(new CreateExperimentTemplateCommand({...(planned.template as object), clientToken: planned.templateToken} as never), {abortSignal: signal})
    planned.templateId = created.experimentTemplate?.id ?? null
    if (!planned.templateId) throw new Error(`FIS in ${planned.region} created a template without an id`)
  }
  signal.throwIfAborted() // the last moment before the fault starts
  const command = new StartExperimentCommand({
    clientToken: planned.startToken,
    experimentTemplateId: planned.templateId,
    tags: {[TAG_FAULT]: ids.faultId, [TAG_RUN]: ids.runId},
    ...extra,
  })
  return startWith(client, planned, command, signal)
}

/** Sends a prepared StartExperiment (a preview adds middleware to it) and records the id. */
export async function startWith(client: FisDriverClient, planned: PlannedExperiment, command: InstanceType<FisDriverClient['sdk']['StartExperimentCommand']>, signal: AbortSignal): Promise<void> {
  const started = await client.fis(planned.region).send(command, {abortSignal: signal})
  planned.experimentId = started.experiment?.id ?? null
  if (!planned.experimentId) throw new Error(`FIS in ${planned.region} started an experiment without an id`)
}

export async function readExperiment(client: FisDriverClient, region: string, id: string, signal: AbortSignal): Promise<ExperimentView | undefined> {
  try {
    const {experiment} = await client.fis(region).send(new client.sdk.GetExperimentCommand({id}), {abortSignal: signal})
    return {
      actions: Object.entries(experiment?.actions ?? {}).map(([name, action]) => ({name, status: action.state?.status ?? 'unknown'})),
      id,
      reason: experiment?.state?.reason ?? '',
      status: experiment?.state?.status ?? 'unknown',
    }
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined
    throw error
  }
}

/** Polls until the experiment runs; throws with FIS's reason if it ends first (failed targets, a stop condition). */
export async function waitUntilRunning(client: FisDriverClient, planned: PlannedExperiment, signal: AbortSignal): Promise<ExperimentView> {
  const id = planned.experimentId!
  const view = await pollUntil(
    async () => (await readExperiment(client, planned.region, id, signal)) ?? {actions: [], id, reason: 'not found', status: 'missing'},
    (current) => current.status === 'running' || TERMINAL.includes(current.status) || current.status === 'missing' || current.status === 'stopping',
    {intervalMs: client.pollMs, signal, timeoutMs: client.timeoutMs, what: `experiment ${id} in ${planned.region} to run`},
  )
  if (view.status !== 'running') throw new Error(`FIS experiment ${id} in ${planned.region} is ${view.status}, not running: ${view.reason}`)
  return view
}

/**
 * The experiments a fault started in one region: by saved id, else by the rift tags (run id and fault id).
 * The template is found by tag first, so only its experiments are listed.
 */
export async function findExperimentIds(client: FisDriverClient, planned: PlannedExperiment, ids: Ids, signal: AbortSignal): Promise<string[]> {
  if (planned.experimentId) return [planned.experimentId]
  const fis = client.fis(planned.region)
  const ours = (tags: Record<string, string> | undefined): boolean => tags?.[TAG_RUN] === ids.runId && tags[TAG_FAULT] === ids.faultId
  const templateIds = planned.templateId ? [planned.templateId] : await findTemplateIds(client, planned, ids, signal)
  const found: string[] = []
  for (const templateId of templateIds.length > 0 ? templateIds : [undefined]) {
    let nextToken: string | undefined
    do {
      const page = await fis.send(new client.sdk.ListExperimentsCommand({maxResults: 100, ...(nextToken ? {nextToken} : {}), ...(templateId ? {experimentTemplateId: templateId} : {})}), {abortSignal: signal})
      for (const summary of page.experiments ?? []) if (summary.id && ours(summary.tags)) found.push(summary.id)
      nextToken = page.nextToken ?? undefined
    } while (nextToken)
  }
  return found
}

export async function findTemplateIds(client: FisDriverClient, planned: PlannedExperiment, ids: Ids, signal: AbortSignal): Promise<string[]> {
  const fis = client.fis(planned.region)
  const found: string[] = []
  let nextToken: string | undefined
  do {
    const page = await fis.send(new client.sdk.ListExperimentTemplatesCommand({maxResults: 100, ...(nextToken ? {nextToken} : {})}), {abortSignal: signal})
    for (const summary of page.experimentTemplates ?? []) {
      if (summary.id && summary.tags?.[TAG_RUN] === ids.runId && summary.tags[TAG_FAULT] === ids.faultId) found.push(summary.id)
    }
    nextToken = page.nextToken ?? undefined
  } while (nextToken)
  return found
}

/**
 * Stops one experiment and waits until FIS says it is over. 'already-reverted' when it was over (or
 * being stopped) before rift asked: FIS's own duration, a stop condition, or an earlier rollback.
 */
export async function stopExperiment(client: FisDriverClient, region: string, id: string, log: Logger, signal: AbortSignal): Promise<RevertOutcome> {
  const before = await readExperiment(client, region, id, signal)
  if (!before) return 'already-reverted'
  if (TERMINAL.includes(before.status) || before.status === 'stopping') {
    if (before.status !== 'completed') log.warn(`FIS experiment ${id} in ${region} was already ${before.status} when rift came to stop it: ${before.reason}`)
    if (before.status === 'stopping') await waitUntilOver(client, region, id, signal)
    return 'already-reverted'
  }
  try {
    await client.fis(region).send(new client.sdk.StopExperimentCommand({id}), {abortSignal: signal})
  } catch (error) {
    // Between the read and the stop it may have ended by itself: FIS then refuses the stop.
    if (!isAwsError(error, 'ResourceNotFoundException', 'ValidationException', 'ConflictException')) throw error
    const now = await readExperiment(client, region, id, signal)
    if (!now || TERMINAL.includes(now.status)) return 'already-reverted'
    throw new Error(`could not stop FIS experiment ${id} in ${region}: ${describeAwsError(error)}`)
  }
  await waitUntilOver(client, region, id, signal)
  return 'reverted'
}

async function waitUntilOver(client: FisDriverClient, region: string, id: string, signal: AbortSignal): Promise<void> {
  await pollUntil(
    async () => (await readExperiment(client, region, id, signal))?.status ?? 'missing',
    (status) => TERMINAL.includes(status) || status === 'missing',
    {intervalMs: client.pollMs, signal, timeoutMs: client.timeoutMs, what: `experiment ${id} in ${region} to stop`},
  )
}

/** Deletes the templates a fault created; a template already gone is fine. */
export async function deleteTemplates(client: FisDriverClient, planned: PlannedExperiment, ids: Ids, signal: AbortSignal): Promise<void> {
  const templateIds = planned.templateId ? [planned.templateId] : await findTemplateIds(client, planned, ids, signal)
  for (const id of templateIds) {
    try {
      await client.fis(planned.region).send(new client.sdk.DeleteExperimentTemplateCommand({id}), {abortSignal: signal})
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error
    }
  }
}

/** Resolved targets of an experiment: what FIS picked when it started. */
export async function resolvedTargets(client: FisDriverClient, region: string, id: string, signal: AbortSignal): Promise<{arn: string; target: string; type: string}[]> {
  const targets: {arn: string; target: string; type: string}[] = []
  let nextToken: string | undefined
  do {
    const page = await client.fis(region).send(new client.sdk.ListExperimentResolvedTargetsCommand({experimentId: id, maxResults: 100, ...(nextToken ? {nextToken} : {})}), {abortSignal: signal})
    for (const target of page.resolvedTargets ?? []) {
      const information = target.targetInformation ?? {}
      targets.push({arn: information.arn ?? Object.values(information)[0] ?? 'unknown', target: target.targetName ?? '', type: target.resourceType ?? ''})
    }
    nextToken = page.nextToken ?? undefined
  } while (nextToken)
  return targets
}
