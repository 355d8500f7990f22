/**
 * Rules that need the driver registry: driver names and configs, and for each step the driver that will
 * run it: does it support the fault kind, does it have the action or probe, do the params fit its schema.
 * Mirrors how the engine resolves drivers (engine/plan.ts), so that what validates also plans.
 */
import type {z} from 'zod'

import type {Driver} from '../drivers/define.js'
import type {DriverRegistry} from '../drivers/registry.js'
import {errorMessage} from '../errors.js'
import {didYouMean} from '../util/suggest.js'
import {withGuess, type IssueDraft, type PathSegment} from './issues.js'
import {isPlainObject} from './schema-walk.js'
import {driverConfigSchema, driverQualifiedName, FAULT_KINDS, faultSchemas, type FaultKind} from './schema.js'
import {translateZodIssues} from './zod-issues.js'

/**
 * Runs a driver's own schema against the value at `path`. A plugin's schema that throws (an async refine, a
 * bug) becomes a problem in the report rather than a stack trace.
 */
function checkWith(schema: z.ZodType, value: unknown, path: PathSegment[], owner: string): IssueDraft[] {
  try {
    const result = schema.safeParse(value)
    return result.success ? [] : translateZodIssues(result.error.issues, schema, value, path)
  } catch (error) {
    return [{message: `the ${owner} driver's schema could not check this: ${errorMessage(error)}`, path}]
  }
}

function accepts(schema: z.ZodType, value: unknown): boolean {
  try {
    return schema.safeParse(value).success
  } catch {
    return false
  }
}

interface Configured {
  config: unknown
  name: string
  path: PathSegment[]
  target: 'key' | 'value'
}

/** `driver: memory` or `driver: {memory: {...}, toxiproxy: {...}}`, in declaration order. */
function configuredDrivers(driver: unknown): Configured[] {
  if (typeof driver === 'string') return [{config: {}, name: driver, path: ['driver'], target: 'value'}]
  if (!isPlainObject(driver)) return []
  return Object.entries(driver).map(([name, config]) => ({config: config ?? {}, name, path: ['driver', name], target: 'key'}))
}

export function checkDrivers(doc: Record<string, unknown>, registry: DriverRegistry): IssueDraft[] {
  const issues: IssueDraft[] = []
  const configured = configuredDrivers(doc.driver)
  for (const entry of configured) {
    if (!registry.has(entry.name)) {
      issues.push({...unknownDriver(entry.name, registry, entry.path), target: entry.target})
      continue
    }
    if (!isPlainObject(entry.config)) continue // the schema reports a config that is not a mapping
    issues.push(...checkWith(registry.get(entry.name).config, entry.config, ['driver', entry.name], entry.name))
  }
  // A malformed `driver:` (reported by the schema) leaves no default driver to judge steps against.
  const usable = driverConfigSchema.safeParse(doc.driver).success
  const context: StepContext = {configured: usable ? configured.map((entry) => entry.name) : undefined, registry, unconfiguredReported: new Set()}
  for (const [index, step] of (Array.isArray(doc.method) ? doc.method : []).entries()) {
    if (!isPlainObject(step)) continue
    const path = ['method', index]
    if ('fault' in step) issues.push(...checkFaultStep(step, path, context))
    else if ('action' in step) issues.push(...checkNamed(step, path, 'action', context))
    else if ('probe' in step) issues.push(...checkNamed(step, path, 'probe', context))
  }
  for (const [index, probe] of (Array.isArray(doc.steadyState) ? doc.steadyState : []).entries()) {
    if (isPlainObject(probe) && 'probe' in probe) issues.push(...checkNamed(probe, ['steadyState', index], 'probe', context))
  }
  issues.push(...checkLiveGuardrails(doc, configured, registry))
  return issues
}

/**
 * A live driver changes real infrastructure: the experiment must say which accounts and regions it may touch,
 * so that a file copied to the wrong shell cannot act on the wrong account.
 */
function checkLiveGuardrails(doc: Record<string, unknown>, configured: Configured[], registry: DriverRegistry): IssueDraft[] {
  const live = configured.filter((entry) => registry.has(entry.name) && registry.get(entry.name).capabilities.live).map((entry) => entry.name)
  if (live.length === 0) return []
  const guardrails = isPlainObject(doc.guardrails) ? doc.guardrails : {}
  const drivers = live.join(', ')
  const issues: IssueDraft[] = []
  for (const [key, example] of [['allowAccounts', '["123456789012"]'], ['allowRegions', '[us-east-1, eu-west-1]']] as const) {
    if (guardrails[key] !== undefined) continue
    issues.push({
      message: `the live driver ${drivers} needs guardrails.${key}: list the ${key === 'allowAccounts' ? 'AWS accounts' : 'regions'} it may change, as in ${key}: ${example}`,
      path: isPlainObject(doc.guardrails) ? ['guardrails'] : [],
    })
  }
  return issues
}

interface StepContext {
  /** Undefined when `driver:` itself is malformed: checks that need it are skipped. */
  configured: string[] | undefined
  registry: DriverRegistry
  /** Drivers already reported as needing a config, so twenty probes do not say it twenty times. */
  unconfiguredReported: Set<string>
}

function unknownDriver(name: string, registry: DriverRegistry, path: PathSegment[]): IssueDraft {
  const names = registry.names()
  const guess = didYouMean(name, names)
  const message = guess
    ? withGuess(`unknown driver "${name}"`, guess)
    : `unknown driver "${name}"; installed drivers: ${names.join(', ') || 'none'} (see: rift drivers)`
  return {expected: `one of: ${names.join(', ')}`, message, path, ...(guess ? {suggestion: guess} : {})}
}

/** A region fault: its driver (the step's `driver:` or the default) must be configured and support the kind. */
function checkFaultStep(step: Record<string, unknown>, path: PathSegment[], context: StepContext): IssueDraft[] {
  const kind = step.fault
  if (!(FAULT_KINDS as readonly unknown[]).includes(kind)) return [] // reported by the schema
  const {configured} = context
  if (!configured) return []
  const explicit = typeof step.driver === 'string' ? step.driver : undefined
  if (explicit !== undefined && !configured.includes(explicit)) {
    const guess = didYouMean(explicit, configured)
    const names = configured.join(', ') || 'none'
    const message = guess
      ? withGuess(`driver "${explicit}" is not configured under driver:`, guess)
      : `driver "${explicit}" is not configured under driver: (configured: ${names}); add it there to use it here`
    return [{expected: `one of: ${names}`, message, path: [...path, 'driver'], ...(guess ? {suggestion: guess} : {})}]
  }
  const name = explicit ?? configured[0]
  if (name === undefined || !context.registry.has(name)) return [] // no driver, or an unknown one already reported
  const driver = context.registry.get(name)
  const definition = driver.faults[kind as FaultKind]
  if (!definition) {
    const offering = context.registry.list().filter((other) => other.faults[kind as FaultKind]).map((other) => other.name)
    const others = offering.length > 0 ? `drivers that do: ${offering.join(', ')}` : 'no installed driver does'
    return [{message: `the ${name} driver does not support ${String(kind)} faults; ${others}`, path: [...path, 'fault']}]
  }
  // The driver sees the step as the engine hands it over: parsed, with defaults applied.
  const parsed = faultSchemas[kind as FaultKind].safeParse(step)
  if (!parsed.success) return [] // reported by the schema
  return checkWith(definition.params, parsed.data, path, name)
}

/** `action: <driver>.<action>` or `probe: <driver>.<probe>`: driver, name and params. */
function checkNamed(step: Record<string, unknown>, path: PathSegment[], key: 'action' | 'probe', context: StepContext): IssueDraft[] {
  const qualified = step[key]
  if (typeof qualified !== 'string' || !driverQualifiedName.safeParse(qualified).success) return [] // reported by the schema
  const [owner, local] = qualified.split('.') as [string, string]
  const keyPath = [...path, key]
  if (typeof step.driver === 'string' && step.driver !== owner) {
    return [{message: `driver "${step.driver}" does not match the ${key}'s driver "${owner}"; leave driver: out, the ${key} names its driver`, path: [...path, 'driver']}]
  }
  if (!context.registry.has(owner)) {
    const issue = unknownDriver(owner, context.registry, keyPath)
    return [issue.suggestion ? {...issue, suggestion: `${issue.suggestion}.${local}`} : issue]
  }
  const driver = context.registry.get(owner)
  const issues = checkUsable(driver, keyPath, context)
  const table = key === 'action' ? driver.actions : driver.probes
  const definition = table[local]
  if (!definition) return [...issues, unknownName(driver, key, local, keyPath)]
  const params = step.params ?? {}
  if (!isPlainObject(params)) return issues // reported by the schema
  return [...issues, ...checkWith(definition.params, params, [...path, 'params'], owner)]
}

/** A driver named only by an action or probe runs with an empty config, which its schema must accept. */
function checkUsable(driver: Driver, path: PathSegment[], context: StepContext): IssueDraft[] {
  if (!context.configured || context.configured.includes(driver.name) || context.unconfiguredReported.has(driver.name)) return []
  if (accepts(driver.config, {})) return []
  context.unconfiguredReported.add(driver.name)
  return [{message: `the ${driver.name} driver needs settings: add it under driver:, as in driver: {${driver.name}: {...}}`, path}]
}

function unknownName(driver: Driver, key: 'action' | 'probe', local: string, path: PathSegment[]): IssueDraft {
  const names = Object.keys(key === 'action' ? driver.actions : driver.probes)
  const guess = didYouMean(local, names)
  const qualified = `${driver.name}.${local}`
  const other = key === 'action' ? driver.probes[local] : driver.actions[local]
  const expected = names.length > 0 ? `one of: ${names.map((name) => `${driver.name}.${name}`).join(', ')}` : `no ${key}s`
  let message: string
  if (other) message = `"${qualified}" is ${key === 'action' ? 'a probe' : 'an action'}, not ${key === 'action' ? 'an action' : 'a probe'}; write ${key === 'action' ? 'probe' : 'action'}: ${qualified}`
  else if (guess) message = withGuess(`unknown ${key} "${qualified}"`, `${driver.name}.${guess}`)
  else message = names.length > 0 ? `unknown ${key} "${qualified}"; the ${driver.name} driver has ${expected.slice('one of: '.length)}` : `the ${driver.name} driver has no ${key}s`
  return {expected, message, path, ...(guess && !other ? {suggestion: `${driver.name}.${guess}`} : {})}
}
