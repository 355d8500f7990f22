/**
 * Experiment templates as plain data, built in `plan` (pure) and ledgered, so a fresh process can find,
 * stop and clean up what a run started. A fault compiles to one experiment per AWS region it acts from:
 * FIS is regional, and its cross-region actions block traffic *leaving* the experiment's region only.
 */
import {createHash} from 'node:crypto'

import type {Json} from '../define.js'
import type {FisConfig} from './config.js'

/** Tags on every template and experiment rift creates: how `rift rollback` finds them without an id. */
export const TAG_RUN = 'rift:run-id'
export const TAG_FAULT = 'rift:fault-id'
export const TAG_MANAGED = 'managed-by'

export interface TargetSpec {
  filters?: {path: string; values: string[]}[]
  parameters?: Record<string, string>
  resourceArns?: string[]
  resourceTags?: Record<string, string>
  resourceType: string
  selectionMode: string
}

export interface ActionSpec {
  actionId: string
  description?: string
  parameters: Record<string, string>
  targets?: Record<string, string>
}

/** One experiment, before it is a template: where it runs, what it targets, what it does. */
export interface ExperimentDraft {
  actions: Record<string, ActionSpec>
  description: string
  /** The AWS region the experiment runs in. */
  region: string
  targets: Record<string, TargetSpec>
  /** The topology region it runs in, for the allowlist and messages. */
  topologyRegion: string
}

/** An experiment as ledgered: the template to create, the idempotency tokens, and the ids once known. */
export interface PlannedExperiment {
  [key: string]: Json
  experimentId: string | null
  region: string
  startToken: string
  template: Json
  templateId: string | null
  templateToken: string
  topologyRegion: string
}

export interface FisState {
  [key: string]: Json
  experiments: PlannedExperiment[] & Json
  faultId: string
  runId: string
}

/** FIS actions last from PT1M to PT12H. */
export const MIN_ACTION_MS = 60_000
export const MAX_ACTION_MS = 12 * 3_600_000

/** `PT1M`, `PT1H30M`, `PT45S`: whole seconds, rounded up. */
export function isoDuration(ms: number): string {
  let seconds = Math.ceil(ms / 1000)
  const hours = Math.floor(seconds / 3600)
  seconds -= hours * 3600
  const minutes = Math.floor(seconds / 60)
  seconds -= minutes * 60
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!hours && !minutes) ? `${seconds}S` : ''}`
}

/** The duration FIS holds an action for: the fault's, raised to FIS's one-minute floor. */
export function actionDuration(durationMs: number): {fidelity: string[]; iso: string} {
  if (durationMs >= MIN_ACTION_MS) return {fidelity: [], iso: isoDuration(durationMs)}
  return {
    fidelity: [`FIS actions last at least a minute: the server-side limit is PT1M; rift stops the experiment after ${Math.round(durationMs / 100) / 10}s`],
    iso: isoDuration(MIN_ACTION_MS),
  }
}

/**
 * Idempotency tokens from the run id, fault id and region, so a retried create or start returns the same
 * template or experiment instead of a second one. Hashed when too long for FIS (64 characters).
 */
export function clientToken(runId: string, faultId: string, region: string, purpose: 'preview' | 'start' | 'template'): string {
  const readable = `rift-${runId}-${faultId}-${region}-${purpose}`
  if (readable.length <= 64) return readable
  return `rift-${createHash('sha256').update(readable).digest('hex').slice(0, 40)}-${purpose}`
}

export function riftTags(runId: string, faultId: string): Record<string, string> {
  return {[TAG_FAULT]: faultId, [TAG_MANAGED]: 'rift', [TAG_RUN]: runId}
}

/** The CreateExperimentTemplate request body, minus its clientToken. */
export function templateBody(draft: ExperimentDraft, config: FisConfig, runId: string, faultId: string): Json {
  return {
    actions: draft.actions as unknown as Json,
    description: draft.description.slice(0, 512),
    experimentOptions: {accountTargeting: 'single-account', emptyTargetResolutionMode: config.emptyTargets},
    ...(config.logGroupArn ? {logConfiguration: {cloudWatchLogsConfiguration: {logGroupArn: config.logGroupArn}, logSchemaVersion: 2}} : {}),
    roleArn: config.roleArn,
    stopConditions: config.stopConditions.map((value) => ({source: 'aws:cloudwatch:alarm', value})),
    tags: riftTags(runId, faultId),
    targets: draft.targets as unknown as Json,
  }
}

export function plannedExperiment(draft: ExperimentDraft, config: FisConfig, runId: string, faultId: string): PlannedExperiment {
  return {
    experimentId: null,
    region: draft.region,
    startToken: clientToken(runId, faultId, draft.region, 'start'),
    template: templateBody(draft, config, runId, faultId),
    templateId: null,
    templateToken: clientToken(runId, faultId, draft.region, 'template'),
    topologyRegion: draft.topologyRegion,
  }
}

/** `subnets tagged app=shop,rift-region=us-east-1` for plans. */
export function describeTarget(target: TargetSpec): string {
  const kind = target.resourceType.split(':').pop() ?? target.resourceType
  if (target.resourceArns) return `${kind} ${target.resourceArns.join(', ')}`
  const tags = Object.entries(target.resourceTags ?? {}).map(([key, value]) => `${key}=${value}`).join(',')
  return `every ${kind} tagged ${tags}`
}
