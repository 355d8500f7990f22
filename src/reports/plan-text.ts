import type {ExperimentPlan} from '../engine/plan.js'
import type {FaultPreview} from '../engine/preview.js'
import {formatDuration} from '../util/duration.js'

/** The human form of `rift plan`: every step, the concrete actions, fidelity gaps and refusals. */
export function formatPlan(plan: ExperimentPlan & {file: string; title: string}, steadyStateProbes: number): string {
  const lines = [`Plan for ${plan.file}: ${plan.title}`, `  run id ${plan.runId}; steady state: ${steadyStateProbes} probe(s) before and after`]
  for (const driver of plan.drivers) {
    lines.push(`  driver ${driver.name}${driver.live ? ' (live: changes real infrastructure; runs only with rift run --live)' : ''}`)
    for (const note of driver.fidelity) lines.push(`    fidelity: ${note}`)
  }
  lines.push('Method:')
  for (const step of plan.steps) {
    switch (step.type) {
      case 'wait': {
        lines.push(`  ${step.index + 1}. wait ${formatDuration(step.ms)}${step.label.startsWith('wait') ? '' : ` (${step.label})`}`)
        break
      }
      case 'probe': {
        lines.push(`  ${step.index + 1}. probe ${step.label}`)
        break
      }
      case 'fault': {
        const when = step.background ? 'held in the background' : 'held'
        lines.push(`  ${step.index + 1}. ${step.faultId} ${step.kind} via ${step.driver} on ${step.target}, ${when} for ${formatDuration(step.durationMs)}, then reverted`)
        for (const action of step.actions) lines.push(`       - ${action.description}`)
        for (const note of step.fidelity) lines.push(`       ! fidelity: ${note}`)
        break
      }
    }
  }
  for (const declined of plan.declined) {
    lines.push(`  ${declined.index + 1}. ${declined.faultId} ${declined.kind} via ${declined.driver}: DECLINED — ${declined.reason}`)
  }
  lines.push('Rollback: every fault still held is reverted, last in first out, whatever happens.')
  return lines.join('\n')
}

/** `rift plan --preview`: per fault, what the backend resolved its targets to. */
export function formatPreviews(previews: FaultPreview[]): string {
  const lines = ['Preview (nothing was injected):']
  for (const preview of previews) {
    if (preview.error) {
      lines.push(`  ${preview.faultId}: no preview: ${preview.error}`)
      continue
    }
    lines.push(`  ${preview.faultId}: ${preview.targets?.length ?? 0} target(s)`)
    for (const note of preview.notes ?? []) lines.push(`     ${note}`)
    for (const target of preview.targets ?? []) lines.push(`     - ${target.region ? `${target.region} ` : ''}${target.kind} ${target.id}`)
  }
  return lines.join('\n')
}
