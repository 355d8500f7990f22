/**
 * Before anything is injected: guardrails that refuse the run, and every driver the plan uses connected.
 * A refusal is `aborted` (exit 4); a driver that cannot be reached is an `error` (exit 5). Nothing has been
 * injected at this point, so either way there is nothing to revert.
 *
 * Live drivers (real infrastructure) need the run's opt-in, both allowlists, and credentials whose account
 * (asked of the driver after it connects) is in `guardrails.allowAccounts`.
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
  for (const region of step.regions) regions.add(region)
  regions.delete('clients')
  return [...regions]
}

/** Refuses live drivers without the run's opt-in or without both allowlists. Returns whether the run may go on. */
function checkLiveGuardrails(run: RunContext): boolean {
  const live = run.plan.drivers.filter((driver) => driver.live).map((driver) => driver.name)
  if (live.length === 0) return true
  const {allowAccounts, allowRegions} = run.experiment.doc.guardrails
  let refusal: string | undefined
  if (!run.liveAllowed) refusal = `the live driver ${live.join(', ')} changes real infrastructure and the run was not started with --live`
  else if (!allowAccounts || !allowRegions) refusal = `the live driver ${live.join(', ')} needs guardrails.allowAccounts and guardrails.allowRegions in the experiment`
  if (refusal === undefined) return true
  run.fail('RIFT_PREFLIGHT_FAILED', 'preflight', refusal, 'aborted')
  return false
}

export async function runPreflight(run: RunContext): Promise<boolean> {
  if (!checkLiveGuardrails(run)) return false
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
    if (driver.capabilities.live && !(await checkAccount(run, name))) return false
  }
  return true
}

/** Asks a live driver whose credentials it holds; refuses the run unless the account is allowed. */
async function checkAccount(run: RunContext, name: string): Promise<boolean> {
  const driver = run.registry.get(name)
  const allowed = run.experiment.doc.guardrails.allowAccounts ?? []
  let account: string
  try {
    if (!driver.identity) throw new Error('the driver cannot say which account its credentials belong to')
    const identity = await driver.identity(run.clients.get(name), {signal: run.signal})
    account = identity.account
    run.mark('driver:identity', `${name}: account ${identity.account} as ${identity.principal}`)
    if (allowed.includes(account)) await run.ledger.append({account, driver: name, type: 'identity'})
  } catch (error) {
    run.fail('RIFT_DRIVER_UNREACHABLE', 'preflight', `could not tell which account driver "${name}" would act in: ${errorMessage(error)}`)
    return false
  }
  const refusal = accountRefusal(name, account, allowed)
  if (refusal === undefined) return true
  run.fail('RIFT_PREFLIGHT_FAILED', 'preflight', `${refusal}; nothing was changed`, 'aborted')
  return false
}

/** Why an account may not be acted in, or undefined when it may. */
export function accountRefusal(driver: string, account: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(account)) return undefined
  return `driver "${driver}" holds credentials for AWS account ${account}, which is not in guardrails.allowAccounts [${allowed.join(', ')}]`
}
