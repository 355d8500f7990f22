/**
 * `rift plan --preview`: what FIS would target, without injecting anything. FIS calls this a target
 * preview: StartExperiment with `experimentOptions.actionsMode: skip-all` resolves the targets (and checks
 * the role can see them) and skips every action. The 3.523 SDK's model lacks `actionsMode`, so a build-step
 * middleware adds it to the serialized request body. The preview's template is deleted afterwards.
 */
import type {Preview} from '../define.js'
import type {FisDriverClient} from './client.js'
import {deleteTemplates, readExperiment, resolvedTargets, startWith, TERMINAL} from './experiments.js'
import {pollUntil} from '../aws/poll.js'
import {clientToken, TAG_FAULT, TAG_RUN, type FisState, type PlannedExperiment} from './template.js'

type StartCommand = InstanceType<FisDriverClient['sdk']['StartExperimentCommand']>

/** Adds `experimentOptions.actionsMode` to a StartExperiment request body, whatever the SDK's model knows. */
export function withActionsMode(command: StartCommand, actionsMode: 'run-all' | 'skip-all'): StartCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as {body?: unknown; headers?: Record<string, string>}
      if (typeof request.body === 'string') {
        const body = JSON.parse(request.body || '{}') as {experimentOptions?: Record<string, unknown>}
        body.experimentOptions = {...body.experimentOptions, actionsMode}
        request.body = JSON.stringify(body)
        if (request.headers) {
          for (const name of Object.keys(request.headers)) if (name.toLowerCase() === 'content-length') delete request.headers[name]
          request.headers['content-length'] = String(Buffer.byteLength(request.body as string))
        }
      }
      return next(args)
    },
    {name: 'riftActionsMode', priority: 'high', step: 'build'},
  )
  return command
}

export async function previewExperiments(client: FisDriverClient, state: FisState, signal: AbortSignal): Promise<Preview> {
  const preview: Preview = {notes: [], targets: []}
  for (const original of state.experiments) {
    const planned: PlannedExperiment = Object.assign(structuredClone(original), {
      experimentId: null,
      startToken: clientToken(state.runId, state.faultId, original.region, 'preview'),
      templateId: null,
      templateToken: clientToken(state.runId, `${state.faultId}-preview`, original.region, 'template'),
    })
    try {
      const created = await client.fis(planned.region).send(new client.sdk.CreateExperimentTemplateCommand({...(planned.template as object), clientToken: planned.templateToken} as never), {abortSignal: signal})
      planned.templateId = created.experimentTemplate?.id ?? null
      const command = new client.sdk.StartExperimentCommand({
        clientToken: planned.startToken,
        experimentTemplateId: planned.templateId!,
        tags: {[TAG_FAULT]: state.faultId, [TAG_RUN]: state.runId, 'rift:preview': 'true'},
      })
      await startWith(client, planned, withActionsMode(command, 'skip-all'), signal)
      const id = planned.experimentId!
      const view = await pollUntil(
        async () => (await readExperiment(client, planned.region, id, signal))!,
        (current) => TERMINAL.includes(current.status),
        {intervalMs: client.pollMs, signal, timeoutMs: client.timeoutMs, what: `target preview ${id} in ${planned.region}`},
      )
      const targets = await resolvedTargets(client, planned.region, id, signal)
      preview.notes.push(`${planned.region}: target preview ${id} ${view.status}${view.status === 'completed' ? '' : `: ${view.reason}`}; ${targets.length} resource(s) resolved`)
      for (const target of targets) preview.targets.push({id: target.arn, kind: target.type, region: planned.region})
    } finally {
      if (planned.templateId) await deleteTemplates(client, planned, state, signal).catch(() => {})
    }
  }
  return preview
}
