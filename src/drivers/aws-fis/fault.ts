/**
 * Every FIS fault has the same life; only the compilation of its parameters into experiments differs, so
 * each file under faults/ is just that. Plan builds the templates (pure, ledgered before anything is
 * created); inject creates and starts each experiment, ledgering each id as soon as FIS returns it, and
 * waits until all run; verify reads them back; revert stops them (by id, else by tag) and deletes the
 * templates. Every action carries the fault's duration, so FIS ends the fault by itself if rift never does.
 */
import type {z} from 'zod'

import type {FaultDefinition, FaultPlan, PlanContext, PlannedAction} from '../define.js'
import {describeAwsError} from '../aws/errors.js'
import type {FisDriverClient} from './client.js'
import type {FisConfig} from './config.js'
import {createAndStart, deleteTemplates, findExperimentIds, readExperiment, resolvedTargets, stopExperiment, waitUntilRunning} from './experiments.js'
import {previewExperiments} from './preview.js'
import type {Decline} from './targets.js'
import {actionDuration, describeTarget, MAX_ACTION_MS, plannedExperiment, type ExperimentDraft, type FisState, type TargetSpec} from './template.js'

export interface FisPlanContext extends PlanContext {
  config: FisConfig
  /** The fault's duration as FIS action durations carry it (at least PT1M). */
  duration: string
}

export type Compiled = {drafts: ExperimentDraft[]; fidelity?: string[]} | Decline

export interface FisFaultSpec<P> {
  compile(params: P, context: FisPlanContext): Compiled
  params: z.ZodType<P>
  summary: string
}

export function fisFault<P>(spec: FisFaultSpec<P>): FaultDefinition<FisDriverClient, P, FisState> {
  return {
    params: spec.params,
    summary: spec.summary,

    plan(params, context): FaultPlan<FisState> {
      const config = context.config as FisConfig | undefined
      if (!config) return {ok: false, reason: 'the aws-fis driver has no configuration', suggestions: ['Configure it: driver: {aws-fis: {roleArn: ..., stopConditions: [...]}}']}
      const durationMs = context.durationMs ?? 0
      if (durationMs > MAX_ACTION_MS) return {ok: false, reason: 'FIS actions last at most 12 hours', suggestions: ['Use a duration of 12h or less']}
      const duration = actionDuration(durationMs)
      const compiled = spec.compile(params, {...context, config, duration: duration.iso})
      if ('ok' in compiled) return compiled
      if (compiled.drafts.length === 0) return {ok: false, reason: 'no FIS experiment is needed for this fault'}
      const tooMany = compiled.drafts.find((draft) => Object.keys(draft.actions).length > 20)
      if (tooMany) return {ok: false, reason: `the experiment in ${tooMany.region} would need ${Object.keys(tooMany.actions).length} actions; FIS allows 20`}
      const state: FisState = {
        experiments: compiled.drafts.map((draft) => plannedExperiment(draft, config, context.runId, context.faultId)),
        faultId: context.faultId,
        runId: context.runId,
      }
      return {
        actions: compiled.drafts.flatMap(describeDraft),
        fidelity: [...duration.fidelity, ...(compiled.fidelity ?? [])],
        ok: true,
        regions: [...new Set(compiled.drafts.map((draft) => draft.topologyRegion))],
        state,
        target: `FIS experiment${compiled.drafts.length > 1 ? 's' : ''} in ${compiled.drafts.map((draft) => draft.region).join(', ')}`,
      }
    },

    async inject({checkpoint, client, signal, state}) {
      const next = structuredClone(state)
      for (const planned of next.experiments) {
        try {
          await createAndStart(client, planned, next, signal)
        } catch (error) {
          throw new Error(`FIS in ${planned.region}: ${describeAwsError(error)}`, {cause: error})
        }
        await checkpoint?.(next)
      }
      for (const planned of next.experiments) await waitUntilRunning(client, planned, signal)
      return next
    },

    async verify({client, signal, state}) {
      const seen: string[] = []
      for (const planned of state.experiments) {
        if (!planned.experimentId) return {detail: `no experiment was started in ${planned.region}`, landed: false}
        const view = await readExperiment(client, planned.region, planned.experimentId, signal)
        // `completed`: FIS held every action for its whole duration (it can end a moment before rift's check).
        if (view?.status !== 'running' && view?.status !== 'completed') return {detail: `experiment ${planned.experimentId} in ${planned.region} is ${view?.status ?? 'gone'}: ${view?.reason ?? ''}`, landed: false}
        const running = view.actions.filter((action) => action.status === 'running' || action.status === 'completed')
        if (running.length === 0) return {detail: `experiment ${planned.experimentId} in ${planned.region} runs no action (${view.actions.map((a) => `${a.name} ${a.status}`).join(', ')})`, landed: false}
        const targets = await resolvedTargets(client, planned.region, planned.experimentId, signal)
        const skipped = view.actions.filter((action) => action.status === 'skipped').map((action) => action.name)
        seen.push(`${planned.experimentId} in ${planned.region} ${view.status} ${running.map((a) => a.name).join(', ')} on ${targets.length} resource(s)${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}`)
      }
      return {detail: seen.join('; '), landed: true}
    },

    async revert({client, log, signal, state}) {
      let outcome: 'reverted' | 'already-reverted' = 'already-reverted'
      const failures: string[] = []
      for (const planned of [...state.experiments].reverse()) {
        try {
          for (const id of await findExperimentIds(client, planned, state, signal)) {
            if ((await stopExperiment(client, planned.region, id, log, signal)) === 'reverted') outcome = 'reverted'
          }
          if (!client.config.keepTemplates) await deleteTemplates(client, planned, state, signal)
        } catch (error) {
          failures.push(`${planned.region}: ${describeAwsError(error)}`)
        }
      }
      if (failures.length > 0) throw new Error(`could not stop every FIS experiment: ${failures.join('; ')}`)
      return outcome
    },

    preview: (context) => previewExperiments(context.client, context.state, context.signal),
  }
}

function describeDraft(draft: ExperimentDraft): PlannedAction[] {
  return Object.entries(draft.actions).map(([name, action]) => {
    const parameters = Object.entries(action.parameters).map(([key, value]) => `${key}=${value}`).join(' ')
    const targets = Object.values(action.targets ?? {}).map((target) => describeTarget(draft.targets[target] as TargetSpec))
    return {description: `in ${draft.region}: ${name}: ${action.actionId} (${parameters})${targets.length > 0 ? ` on ${targets.join(' and ')}` : ''}`}
  })
}
