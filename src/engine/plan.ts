/**
 * Compiling an experiment into what each driver would do. Pure: no driver is connected and nothing changes,
 * so `rift plan` can show it and `rift run` can refuse before anything happens.
 */
import type {Driver, FaultDefinition, FaultPlan, FaultRequest, Json, PlanContext, PlannedAction} from '../drivers/define.js'
import type {DriverRegistry} from '../drivers/registry.js'
import {RiftError, errorMessage} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'
import type {MethodStep, Probe} from '../experiment/schema.js'
import {formatDuration, parseDuration} from '../util/duration.js'

export type PlannedStep =
  | {index: number; label: string; ms: number; type: 'wait'}
  | {index: number; label: string; probe: Probe; type: 'probe'}
  | PlannedFault

export interface PlannedFault {
  actions: PlannedAction[]
  background: boolean
  driver: string
  durationMs: number
  faultId: string
  fidelity: string[]
  index: number
  /** A region fault kind (`region-outage`) or a raw action (`memory.cut-link`). */
  kind: string
  label: string
  /** The request as the driver validated it. */
  params: unknown
  /** Regions the driver says the fault changes, beyond those its parameters name. */
  regions: string[]
  state: Json
  target: string
  type: 'fault'
}

export interface DeclinedFault {
  driver: string
  faultId: string
  index: number
  kind: string
  reason: string
  suggestions: string[]
}

export interface ExperimentPlan {
  declined: DeclinedFault[]
  /** Validated driver configs, by driver name, for the drivers the plan uses. */
  drivers: {config: Record<string, unknown>; fidelity: string[]; live: boolean; name: string}[]
  runId: string
  steps: PlannedStep[]
}

/** The step's fault kind: `region-outage`, or `memory.cut-link` for a raw action. */
export function faultKindOf(step: FaultRequest): string {
  return 'fault' in step ? step.fault : step.action
}

/** The driver's definition for a fault kind, or undefined when the driver does not offer it. */
export function findFaultDefinition(driver: Driver, kind: string): FaultDefinition<unknown, unknown, Json> | undefined {
  if (kind.includes('.')) {
    const [owner, action] = kind.split('.', 2) as [string, string]
    return owner === driver.name ? driver.actions[action] : undefined
  }
  return (driver.faults as Record<string, FaultDefinition<unknown, unknown, Json> | undefined>)[kind]
}

function isFaultStep(step: MethodStep): step is FaultRequest {
  return 'fault' in step || 'action' in step
}

function describeProbe(probe: Probe): string {
  if (probe.name) return probe.name
  if ('http' in probe) return `http ${probe.http.method} ${probe.http.url}`
  if ('tcp' in probe) return `tcp ${probe.tcp.address} is ${probe.tcp.expect}`
  if ('command' in probe) return `command ${probe.command.run.join(' ')}`
  return `probe ${probe.probe}`
}

export function probeLabel(probe: Probe): string {
  return describeProbe(probe)
}

function driverConfigFor(experiment: Experiment, registry: DriverRegistry, name: string): Record<string, unknown> {
  const driver = registry.get(name)
  const parsed = driver.config.safeParse(experiment.drivers[name] ?? {})
  if (!parsed.success) {
    throw new RiftError('RIFT_DRIVER_CONFIG_INVALID', `${experiment.file}: driver "${name}" config is invalid: ${parsed.error.message}`, {
      suggestions: [`Check driver.${name} in ${experiment.file} against docs for the ${name} driver`],
    })
  }
  return parsed.data as Record<string, unknown>
}

export function planExperiment(experiment: Experiment, registry: DriverRegistry, runId: string): ExperimentPlan {
  const steps: PlannedStep[] = []
  const declined: DeclinedFault[] = []
  const configs = new Map<string, Record<string, unknown>>()
  let faultCount = 0

  for (const [index, step] of experiment.doc.method.entries()) {
    if ('wait' in step) {
      const ms = toMs(step.wait)
      steps.push({index, label: step.name ?? `wait ${formatDuration(ms)}`, ms, type: 'wait'})
      continue
    }
    if (!isFaultStep(step)) {
      steps.push({index, label: describeProbe(step), probe: step, type: 'probe'})
      continue
    }
    faultCount += 1
    const faultId = `f${faultCount}`
    const kind = faultKindOf(step)
    const driverName = step.driver ?? (kind.includes('.') ? kind.split('.')[0]! : experiment.defaultDriver)
    const driver = registry.get(driverName)
    if (!configs.has(driverName)) configs.set(driverName, driverConfigFor(experiment, registry, driverName))
    const definition = findFaultDefinition(driver, kind)
    if (!definition) {
      const offering = registry.list().filter((other) => findFaultDefinition(other, kind)).map((other) => other.name)
      declined.push({
        driver: driverName,
        faultId,
        index,
        kind,
        reason: `driver "${driverName}" does not support ${kind}`,
        suggestions: offering.length > 0 ? [`Drivers that do: ${offering.join(', ')}`] : [],
      })
      continue
    }
    const result = planFault(definition, step, {config: configs.get(driverName), durationMs: toMs(step.duration), faultId, runId, topology: experiment.topology})
    if (!result.ok) {
      declined.push({driver: driverName, faultId, index, kind, reason: result.reason, suggestions: result.suggestions ?? []})
      continue
    }
    const durationMs = toMs(step.duration)
    steps.push({
      actions: result.plan.actions,
      background: step.background,
      driver: driverName,
      durationMs,
      faultId,
      fidelity: result.plan.fidelity,
      index,
      kind,
      label: step.name ?? `${kind} on ${result.plan.target} for ${formatDuration(durationMs)}`,
      params: result.params,
      regions: result.plan.regions ?? [],
      state: result.plan.state,
      target: result.plan.target,
      type: 'fault',
    })
  }

  // Drivers named by probes are connected too, though they inject nothing.
  const probes = [...experiment.doc.steadyState, ...steps.flatMap((step) => (step.type === 'probe' ? [step.probe] : []))]
  for (const probe of probes) {
    if (!('probe' in probe)) continue
    const name = probe.driver ?? probe.probe.split('.')[0]!
    if (!configs.has(name)) configs.set(name, driverConfigFor(experiment, registry, name))
  }
  const drivers = [...configs].map(([name, config]) => {
    const driver = registry.get(name)
    return {config, fidelity: [...driver.fidelity], live: driver.capabilities.live, name}
  })
  return {declined, drivers, runId, steps}
}

type PlanOutcome =
  | {ok: false; reason: string; suggestions?: string[]}
  | {ok: true; params: unknown; plan: Extract<FaultPlan, {ok: true}>}

function planFault(
  definition: FaultDefinition<unknown, unknown, Json>,
  step: FaultRequest,
  context: PlanContext,
): PlanOutcome {
  const input = 'action' in step ? step.params : step
  const parsed = definition.params.safeParse(input)
  if (!parsed.success) return {ok: false, reason: `invalid parameters: ${parsed.error.message}`}
  try {
    const plan = definition.plan(parsed.data, context)
    return plan.ok ? {ok: true, params: parsed.data, plan} : plan
  } catch (error) {
    // plan is meant to be pure; a throw is the driver's bug, reported as a decline with its reason.
    return {ok: false, reason: `the driver's plan failed: ${errorMessage(error)}`}
  }
}

export function toMs(duration: string): number {
  const parsed = parseDuration(duration)
  if (!parsed.ok) throw new RiftError('RIFT_EXPERIMENT_INVALID', parsed.reason)
  return parsed.ms
}

/** @throws RiftError RIFT_FAULT_DECLINED naming every fault a driver cannot honour. */
export function assertNothingDeclined(plan: ExperimentPlan, file: string): void {
  if (plan.declined.length === 0) return
  const lines = plan.declined.map((d) => `method[${d.index}] ${d.kind} (${d.driver}): ${d.reason}`)
  throw new RiftError('RIFT_FAULT_DECLINED', `${file}: ${plan.declined.length} fault(s) cannot be run:\n  ${lines.join('\n  ')}`, {
    details: {declined: plan.declined},
    suggestions: [...new Set(plan.declined.flatMap((d) => d.suggestions)), 'See what each driver supports: rift drivers'],
  })
}

/** The live drivers a plan uses: they change real infrastructure. */
export function liveDrivers(plan: ExperimentPlan): string[] {
  return plan.drivers.filter((driver) => driver.live).map((driver) => driver.name)
}

/**
 * @throws RiftError RIFT_LIVE_OPT_IN_REQUIRED when the plan uses a live driver and the caller did not opt in
 * (`rift run --live`). Nothing has been connected or changed when it throws.
 */
export function assertLiveOptIn(plan: ExperimentPlan, file: string, live: boolean): void {
  const names = liveDrivers(plan)
  if (names.length === 0 || live) return
  throw new RiftError('RIFT_LIVE_OPT_IN_REQUIRED', `${file} uses the live driver ${names.join(', ')}, which changes real infrastructure; rift acts on it only when asked to with --live`, {
    suggestions: [`Read what it would do first: rift plan ${file}`, `Then run it: rift run ${file} --live`],
  })
}
