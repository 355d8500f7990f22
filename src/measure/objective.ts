/**
 * SLO objectives as written in experiment files: `"<= 10s"`, `"== 0"`, `">= 99.5%"`. Parsed once, at
 * validation, so a run never discovers a typo in its verdict after the faults have been injected.
 */
import type {SloName} from '../experiment/schema.js'
import {formatDuration, parseDuration} from '../util/duration.js'

export const OBJECTIVE_OPS = ['<=', '>=', '==', '!=', '<', '>'] as const
export type ObjectiveOp = (typeof OBJECTIVE_OPS)[number]

/** Durations are converted to milliseconds; percentages stay percentages (`99.5`, not `0.995`). */
export type ObjectiveUnit = 'ms' | 'percent' | 'count'

export interface Objective {
  op: ObjectiveOp
  unit: ObjectiveUnit
  value: number
}

export type ObjectiveParse = {objective: Objective; ok: true} | {ok: false; reason: string}

/** What each SLO measures, and so which unit its objective must be written in. */
export const SLO_UNITS: Record<SloName, ObjectiveUnit> = {
  availability: 'percent',
  dataLoss: 'count',
  errorRate: 'percent',
  failoverTime: 'ms',
  p50: 'ms',
  p90: 'ms',
  p95: 'ms',
  p99: 'ms',
  p999: 'ms',
  rpo: 'ms',
}

// Longest operators first, so `<=` is not read as `<` followed by `=10s`.
const OBJECTIVE = /^(<=|>=|==|!=|<|>)\s*(\S.*)$/
const NUMBER = /^\d+(\.\d+)?$/

/** How a message shows what would have been valid: a few examples, and the operator to offer when one is missing. */
export interface ObjectiveHint {
  examples: string
  op: ObjectiveOp
}

const GENERIC_HINT: ObjectiveHint = {examples: '"<= 10s", "== 0" or ">= 99.5%"', op: '<='}

/** `"<= 10s"` → `{op: '<=', value: 10000, unit: 'ms'}`; a bare number is a count. */
export function parseObjective(text: string, hint: ObjectiveHint = GENERIC_HINT): ObjectiveParse {
  const unreadable = {ok: false, reason: `expected an objective such as ${hint.examples}, got "${text}"`} as const
  const trimmed = text.trim()
  const match = OBJECTIVE.exec(trimmed)
  if (!match) return {ok: false, reason: operatorHint(trimmed, hint) ?? unreadable.reason}
  const op = match[1] as ObjectiveOp
  const amount = match[2]!.trim()
  if (amount.startsWith('-')) return {ok: false, reason: `an objective cannot be negative, got "${text}"`}
  if (amount.endsWith('%')) {
    const number = amount.slice(0, -1).trim()
    if (!NUMBER.test(number)) return unreadable
    const value = Number(number)
    if (value > 100) return {ok: false, reason: `a percentage is at most 100%, got "${text}"`}
    return {objective: {op, unit: 'percent', value}, ok: true}
  }
  if (NUMBER.test(amount)) return {objective: {op, unit: 'count', value: Number(amount)}, ok: true}
  const duration = parseDuration(amount)
  if (!duration.ok) return unreadable
  return {objective: {op, unit: 'ms', value: duration.ms}, ok: true}
}

const UNIT_NOUNS: Record<ObjectiveUnit, string> = {count: 'a count', ms: 'a duration', percent: 'a percentage'}

/** A typical objective per SLO, for messages and docs: more availability is better, less of the rest. */
export const SLO_EXAMPLES: Record<SloName, string> = {
  availability: '>= 99.5%',
  dataLoss: '== 0',
  errorRate: '<= 1%',
  failoverTime: '<= 30s',
  p50: '<= 100ms',
  p90: '<= 200ms',
  p95: '<= 250ms',
  p99: '<= 300ms',
  p999: '<= 1s',
  rpo: '<= 1s',
}

/** Parses an objective for a named SLO and checks that its unit is the one the SLO is measured in. */
export function parseSloObjective(name: SloName, text: string): ObjectiveParse {
  const example = SLO_EXAMPLES[name]
  const parsed = parseObjective(text, {examples: `"${example}"`, op: OBJECTIVE.exec(example)![1] as ObjectiveOp})
  if (!parsed.ok) return parsed
  const expected = SLO_UNITS[name]
  const {objective} = parsed
  if (objective.unit === expected) return parsed
  // A bare zero needs no unit: `rpo: "== 0"` and `errorRate: "== 0"` say exactly what they mean.
  if (objective.unit === 'count' && objective.value === 0) return {objective: {...objective, unit: expected}, ok: true}
  const found = objective.unit === 'count' ? 'a number without a unit' : UNIT_NOUNS[objective.unit]
  return {
    ok: false,
    reason: `${name} is ${UNIT_NOUNS[expected]}: expected an objective such as "${SLO_EXAMPLES[name]}", got ${found} in "${text}"`,
  }
}

/** Does the observed value (in the objective's unit) meet the objective? */
export function compareObjective(objective: Objective, observed: number): boolean {
  const {op, value} = objective
  switch (op) {
    case '<':
      return observed < value
    case '<=':
      return observed <= value
    case '==':
      return observed === value
    case '!=':
      return observed !== value
    case '>=':
      return observed >= value
    case '>':
      return observed > value
  }
}

/** `{op: '<=', value: 10000, unit: 'ms'}` → `<= 10s`, for plans and reports. */
export function formatObjective(objective: Objective): string {
  return `${objective.op} ${formatAmount(objective.value, objective.unit)}`
}

export function formatAmount(value: number, unit: ObjectiveUnit): string {
  switch (unit) {
    case 'ms':
      return formatDuration(value)
    case 'percent':
      return `${value}%`
    case 'count':
      return String(value)
  }
}

/** A reason for the common slips (no operator, `=`, `=<`); undefined for anything else. */
function operatorHint(text: string, hint: ObjectiveHint): string | undefined {
  if (text === '') return `expected an objective such as ${hint.examples}, got an empty string`
  if (/^(=<|=>)/.test(text)) return `write "${text[1]}=" rather than "${text.slice(0, 2)}", got "${text}"`
  if (/^=[^=]/.test(text)) return `use "==" to compare for equality, got "${text}"`
  if (/^(\d|\.)/.test(text)) return `start with a comparison (<, <=, ==, !=, >=, >), for example "${hint.op} ${text}", got "${text}"`
  return undefined
}
