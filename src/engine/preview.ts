/**
 * `rift plan --preview`: ask each driver that can what its faults would hit, without injecting them (FIS:
 * a target preview). Drivers are connected as for a run; a live driver's account is checked against
 * guardrails.allowAccounts first, since a preview does call the cloud.
 */
import type {Logger, Preview} from '../drivers/define.js'
import type {DriverRegistry} from '../drivers/registry.js'
import {RiftError, errorMessage} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'
import {findFaultDefinition, type ExperimentPlan} from './plan.js'
import {accountRefusal} from './preflight.js'
import {REVERT_TIMEOUT_MS} from './rollback-stack.js'
import {stateDir} from './run-dir.js'

export interface FaultPreview extends Partial<Preview> {
  /** Why there is no preview: the driver offers none, or it failed. */
  error?: string
  faultId: string
}

const quiet: Logger = {debug: () => {}, info: () => {}, warn: () => {}}

export async function previewPlan(experiment: Experiment, plan: ExperimentPlan, registry: DriverRegistry, signal: AbortSignal = AbortSignal.timeout(10 * 60_000)): Promise<FaultPreview[]> {
  const previews: FaultPreview[] = []
  const clients = new Map<string, unknown>()
  try {
    for (const step of plan.steps) {
      if (step.type !== 'fault') continue
      const driver = registry.get(step.driver)
      const definition = findFaultDefinition(driver, step.kind)
      if (!definition?.preview) {
        previews.push({error: `the ${step.driver} driver offers no preview of ${step.kind}`, faultId: step.faultId})
        continue
      }
      let client = clients.get(step.driver)
      if (client === undefined) {
        const config = plan.drivers.find((entry) => entry.name === step.driver)?.config ?? {}
        client = await driver.connect(config, {log: quiet, signal: AbortSignal.timeout(REVERT_TIMEOUT_MS), stateDir: stateDir(), topology: experiment.topology})
        clients.set(step.driver, client)
        if (driver.capabilities.live) await checkAccount(experiment, step.driver, await driver.identity!(client, {signal}))
      }
      try {
        previews.push({faultId: step.faultId, ...(await definition.preview({client, log: quiet, signal, state: step.state}))})
      } catch (error) {
        previews.push({error: errorMessage(error), faultId: step.faultId})
      }
    }
  } finally {
    for (const [name, client] of clients) await registry.get(name).disconnect?.(client).catch(() => {})
  }
  return previews
}

async function checkAccount(experiment: Experiment, driver: string, identity: {account: string}): Promise<void> {
  const refusal = accountRefusal(driver, identity.account, experiment.doc.guardrails.allowAccounts ?? [])
  if (refusal === undefined) return
  throw new RiftError('RIFT_PREFLIGHT_FAILED', `${refusal}; nothing was previewed`, {
    suggestions: ['Use credentials of an allowed account, or add the account to guardrails.allowAccounts'],
  })
}
