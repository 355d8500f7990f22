/**
 * The last word before a live run changes real infrastructure: on a terminal, what will change and where,
 * and a typed "yes"; in CI, `--yes`. Without a terminal and without `--yes`, the run is refused.
 */
import {createInterface} from 'node:readline/promises'

import {liveDrivers, type ExperimentPlan} from '../engine/plan.js'
import {RiftError} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'

export interface ConfirmOptions {
  /** Asks one question and returns the answer; defaults to a prompt on stderr reading stdin. */
  ask?: (question: string) => Promise<string>
  /** Whether a person can answer; defaults to stdin and stderr being terminals. */
  interactive?: boolean
  yes?: boolean
}

export function describeLiveRun(plan: ExperimentPlan, experiment: Experiment): string[] {
  const live = new Set(liveDrivers(plan))
  const {allowAccounts = [], allowRegions = []} = experiment.doc.guardrails
  const lines = [`${experiment.file} changes real infrastructure through ${[...live].join(', ')}:`]
  for (const step of plan.steps) {
    if (step.type !== 'fault' || !live.has(step.driver)) continue
    lines.push(`  ${step.faultId} ${step.kind} on ${step.target}`)
    for (const action of step.actions) lines.push(`     - ${action.description}`)
  }
  lines.push(`  accounts allowed: ${allowAccounts.join(', ') || 'none'}; regions allowed: ${allowRegions.join(', ') || 'none'}`)
  return lines
}

export async function confirmLiveRun(plan: ExperimentPlan, experiment: Experiment, options: ConfirmOptions): Promise<void> {
  if (liveDrivers(plan).length === 0 || options.yes) return
  const interactive = options.interactive ?? Boolean(process.stdin.isTTY && process.stderr.isTTY)
  if (!interactive) {
    throw new RiftError('RIFT_LIVE_NOT_CONFIRMED', `${experiment.file} changes real infrastructure and there is no terminal to confirm on`, {
      suggestions: [`Confirm in CI with: rift run ${experiment.file} --live --yes`],
    })
  }
  const ask = options.ask ?? promptOnTerminal
  const answer = await ask(`${describeLiveRun(plan, experiment).join('\n')}\nType "yes" to go on: `)
  if (answer.trim().toLowerCase() !== 'yes') {
    throw new RiftError('RIFT_LIVE_NOT_CONFIRMED', 'the live run was not confirmed; nothing was changed', {suggestions: [`Read the plan: rift plan ${experiment.file}`]})
  }
}

async function promptOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({input: process.stdin, output: process.stderr})
  try {
    return await terminal.question(question)
  } finally {
    terminal.close()
  }
}
