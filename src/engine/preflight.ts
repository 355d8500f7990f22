/**
 * Before anything is injected: guardrails that refuse the run, and every driver the plan uses connected.
 * A refusal is `aborted` (exit 4); a driver that cannot be reached is an `error` (exit 5). Nothing has been
 * injected at this point, so either way there is nothing to revert.
 */
import {errorMessage} from '../errors.js'
import type {PlannedFault} from './plan.js'
import type {RunContext} from './run-context.js'

/** The regions a fault touches, as far as its parameters say. */
export function regionsTouched(run: RunContext, step: PlannedFault): string[] {
  const params = (step.params ?? {}) as Record<string, unknown>
  const regions = new Set<string>()
  for (const key of ['region', 'from', 'to']) {
    if (typeof params[key] === 'string') regions.add(params[key])
  }
  if (typeof params.link === 'string') {
    const link = run.experiment.topology.links.find((candidate) => candidate.name === params.link)
    if (link) for (const end of [link.from, link.to]) regions.add(end)
  }
  regions.delete('clients')
  return [...regions]
}

export async function runPreflight(run: RunContext): Promise<boolean> {
  const allowed = run.experiment.doc.guardrails.allowRegions
  if (allowed) {
    for (const step of run.plan.steps) {
      if (step.type !== 'fault') continue
      const outside = regionsTouched(run, step).filter((region) => !allowed.includes(region))
      if (outside.length > 0) {
        run.fail('RIFT_PREFLIGHT_FAILED', 'preflight', `method[${step.index}] ${step.kind} touches ${outside.join(', ')}, outside guardrails.allowRegions [${allowed.join(', ')}]`, 'aborted')
        return false
      }
    }
  }
  for (const {config, name} of run.plan.drivers) {
    const driver = run.registry.get(name)
    try {
      const client = await driver.connect(config, {log: run.log, signal: run.signal, stateDir: run.stateDir, topology: run.experiment.topology})
      run.clients.set(name, client)
      run.mark('driver:connected', name)
    } catch (error) {
      run.fail('RIFT_DRIVER_UNREACHABLE', 'preflight', `could not connect driver "${name}": ${errorMessage(error)}`)
      return false
    }
  }
  return true
}
