/**
 * Rules that need the whole document rather than one field: every region or link a fault, link or
 * guardrail names must be declared in the topology, names must be unique, SLOs must be known and their
 * objectives readable. Driver rules are in check-drivers.ts.
 *
 * Runs on the raw value even when the schema found problems, so that one `rift validate` reports every
 * problem; anything malformed is skipped here (the schema already reported it).
 */
import {parseObjective, parseSloObjective, SLO_EXAMPLES} from '../measure/objective.js'
import {PROBE_SLO_PREFIX} from '../measure/probe-slo.js'
import {didYouMean} from '../util/suggest.js'
import {formatPath, withGuess, type IssueDraft, type PathSegment} from './issues.js'
import {isPlainObject} from './schema-walk.js'
import {CLIENTS, FAULT_KINDS, SLO_NAMES, type SloName} from './schema.js'

/** What the topology declares; `regions` is undefined when the list itself is malformed (no references are judged). */
export interface Declared {
  links: string[]
  regions: string[] | undefined
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function checkDocument(doc: Record<string, unknown>): IssueDraft[] {
  const topology = isPlainObject(doc.topology) ? doc.topology : {}
  const {declared, issues} = checkTopology(topology)
  return [...issues, ...checkFaultRegions(doc, declared), ...checkGuardrails(doc, declared), ...checkSlos(doc)]
}

/** Region and link names (duplicates and `clients` reported), and each link's ends. */
export function checkTopology(topology: Record<string, unknown>): {declared: Declared; issues: IssueDraft[]} {
  const issues: IssueDraft[] = []
  const regionEntries = list(topology.regions).map((region, index) =>
    isPlainObject(region)
      ? {name: text(region.name), path: ['topology', 'regions', index, 'name']}
      : {name: text(region), path: ['topology', 'regions', index]},
  )
  for (const {name, path} of regionEntries) {
    if (name === CLIENTS) issues.push({message: `"${CLIENTS}" is reserved for the users' side of links; name the region something else`, path})
  }
  const regions = uniqueNames(regionEntries, 'region', issues)
  const links = list(topology.links)
  const linkNames = uniqueNames(
    links.map((link, index) => ({name: isPlainObject(link) ? text(link.name) : undefined, path: ['topology', 'links', index, 'name']})),
    'link',
    issues,
  )
  for (const [index, link] of Array.isArray(topology.regions) ? links.entries() : []) {
    if (!isPlainObject(link)) continue
    const from = text(link.from)
    if (from !== undefined && from !== CLIENTS) issues.push(...regionRef(['topology', 'links', index, 'from'], from, regions, [CLIENTS]))
    const to = text(link.to)
    if (to === CLIENTS) {
      issues.push({message: `links go from "${CLIENTS}" into a region, not back; use from: ${CLIENTS}`, path: ['topology', 'links', index, 'to']})
    } else if (to !== undefined) issues.push(...regionRef(['topology', 'links', index, 'to'], to, regions))
  }
  return {declared: {links: linkNames, regions: Array.isArray(topology.regions) ? regions : undefined}, issues}
}

function uniqueNames(entries: {name: string | undefined; path: PathSegment[]}[], noun: string, issues: IssueDraft[]): string[] {
  const first = new Map<string, PathSegment[]>()
  for (const {name, path} of entries) {
    if (name === undefined) continue
    const earlier = first.get(name)
    if (earlier) issues.push({message: `duplicate ${noun} name "${name}": already declared at ${formatPath(earlier)}`, path})
    else first.set(name, path)
  }
  return [...first.keys()]
}

/** A reference to a region: unknown names get "did you mean" among the declared regions. */
export function regionRef(path: PathSegment[], name: string, regions: string[], extra: string[] = []): IssueDraft[] {
  if (regions.includes(name)) return []
  const candidates = [...regions, ...extra]
  const guess = didYouMean(name, candidates)
  const expected = `one of: ${candidates.join(', ')}`
  const also = extra.map((name) => ` or "${name}"`).join('')
  const declared = regions.length === 0 ? `the topology declares no regions${also}` : `the topology declares ${regions.join(', ')}${also}`
  const message = guess ? withGuess(`unknown region "${name}"`, guess) : `unknown region "${name}"; ${declared}`
  return [{expected, message, path, ...(guess ? {suggestion: guess} : {})}]
}

/** Faults name regions (`region`, `from`, `to`); each must be declared, and a fault between a region and itself is a typo. */
function checkFaultRegions(doc: Record<string, unknown>, declared: Declared): IssueDraft[] {
  const issues: IssueDraft[] = []
  const {regions} = declared
  for (const [index, step] of list(doc.method).entries()) {
    if (!isPlainObject(step) || !(FAULT_KINDS as readonly unknown[]).includes(step.fault)) continue
    for (const key of ['region', 'from', 'to'] as const) {
      const name = text(step[key])
      if (name !== undefined && regions) issues.push(...regionRef(['method', index, key], name, regions))
    }
    if (text(step.from) !== undefined && step.from === step.to) {
      issues.push({message: `from and to are the same region ("${text(step.to)!}"); a ${String(step.fault)} fault is between two regions`, path: ['method', index, 'to']})
    }
  }
  return issues
}

function checkGuardrails(doc: Record<string, unknown>, declared: Declared): IssueDraft[] {
  if (!isPlainObject(doc.guardrails)) return []
  const issues: IssueDraft[] = []
  for (const [index, name] of list(doc.guardrails.allowRegions).entries()) {
    if (typeof name === 'string' && declared.regions) issues.push(...regionRef(['guardrails', 'allowRegions', index], name, declared.regions))
  }
  const abortIf = doc.guardrails.abortIf
  if (isPlainObject(abortIf) && typeof abortIf.errorRate === 'string') {
    const parsed = parseSloObjective('errorRate', abortIf.errorRate)
    if (!parsed.ok) issues.push({message: parsed.reason, path: ['guardrails', 'abortIf', 'errorRate']})
    const workload = isPlainObject(doc.workload) ? doc.workload : {}
    if (!('prober' in workload) && !('load' in workload)) {
      issues.push({
        expected: 'workload.prober or workload.load',
        message: 'guardrails.abortIf watches the error rate of a workload, and this experiment has none; add workload.prober or workload.load',
        path: ['guardrails', 'abortIf'],
      })
    }
  }
  return issues
}

function checkSlos(doc: Record<string, unknown>): IssueDraft[] {
  if (!isPlainObject(doc.slos)) return []
  const issues: IssueDraft[] = []
  const probeNames = declaredProbeNames(doc)
  for (const [name, objective] of Object.entries(doc.slos)) {
    if (name.startsWith(PROBE_SLO_PREFIX)) {
      const probe = name.slice(PROBE_SLO_PREFIX.length)
      if (!probeNames.includes(probe)) {
        const guess = didYouMean(probe, probeNames)
        const known = probeNames.length > 0 ? `named probes: ${probeNames.join(', ')}` : 'no probe has a `name` yet; give the probe one'
        issues.push({
          expected: 'probe:<the name of a steady-state or method probe>',
          message: guess ? withGuess(`no probe is named "${probe}"`, `probe:${guess}`) : `no probe is named "${probe}" (${known})`,
          path: ['slos', name],
          target: 'key',
          ...(guess ? {suggestion: `probe:${guess}`} : {}),
        })
        continue
      }
      if (typeof objective !== 'string') continue
      const parsed = parseObjective(objective)
      if (!parsed.ok) issues.push({expected: 'an objective such as "<= 500" or ">= 1"', message: parsed.reason, path: ['slos', name]})
      continue
    }
    if (!(SLO_NAMES as readonly string[]).includes(name)) {
      const guess = didYouMean(name, SLO_NAMES)
      const expected = `one of: ${SLO_NAMES.join(', ')}`
      const message = guess ? withGuess(`unknown SLO "${name}"`, guess) : `unknown SLO "${name}"; rift measures ${SLO_NAMES.join(', ')}, and probe:<name> for a probe's value`
      issues.push({expected, message, path: ['slos', name], target: 'key', ...(guess ? {suggestion: guess} : {})})
      continue
    }
    if (typeof objective !== 'string') continue
    const parsed = parseSloObjective(name as SloName, objective)
    if (!parsed.ok) issues.push({expected: `an objective such as "${SLO_EXAMPLES[name as SloName]}"`, message: parsed.reason, path: ['slos', name]})
  }
  return issues
}

/** The names given to steady-state and method probes: what a `probe:<name>` SLO can refer to. */
function declaredProbeNames(doc: Record<string, unknown>): string[] {
  const steps = [...(Array.isArray(doc.steadyState) ? doc.steadyState : []), ...(Array.isArray(doc.method) ? doc.method : [])]
  const names = steps.flatMap((step: unknown) => (isPlainObject(step) && typeof step.name === 'string' && !('fault' in step) && !('action' in step) && !('wait' in step) ? [step.name] : []))
  return [...new Set(names)]
}
