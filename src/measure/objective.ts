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

const EXAMPLE = 'expected an objective such as "<= 10s", "== 0" or ">= 99.5%"'
// Longest operators first, so `<=` is not read as `<` followed by `=10s`.
const OBJECTIVE = /^(<=|>=|==|!=|<|>)\s*(\S.*)$/
const NUMBER = /^\d+(\.\d+)?$/

/** `"<= 10s"` → `{op: '<=', value: 10000, unit: 'ms'}`; a bare number is a count. */
export function parseObjective(text: string): ObjectiveParse {
  const trimmed = text.trim()
  const match = OBJECTIVE.exec(trimmed)
  if (!match) return {ok: false, reason: operatorHint(trimmed)}
  const op = match[1] as ObjectiveOp
  const amount = match[2]!.trim()
  if (amount.startsWith('-')) return {ok: false, reason: `an objective cannot be negative, got "${text}"`}
  if (amount.endsWith('%')) {
    const number = amount.slice(0, -1).trim()
    if (!NUMBER.test(number)) return {ok: false, reason: `${EXAMPLE}, got "${text}"`}
    const value = Number(number)
    if (value > 100) return {ok: false, reason: `a percentage is at most 100%, got "${text}"`}
    return {objective: {op, unit: 'percent', value}, ok: true}
  }
  if (NUMBER.test(amount)) return {objective: {op, unit: 'count', value: Number(amount)}, ok: true}
  const duration = parseDuration(amount)
  if (!duration.ok) return {ok: false, reason: `${EXAMPLE}, got "${text}"`}
  return {objective: {op, unit: 'ms', value: duration.ms}, ok: true}
}

const UNIT_NOUNS: Record<ObjectiveUnit, string> = {count: 'a count', ms: 'a duration', percent: 'a percentage'}

const SLO_EXAMPLES: Record<ObjectiveUnit, string> = {count: '== 0', ms: '<= 10s', percent: '>= 99.5%'}

/** Parses an objective for a named SLO and checks that its unit is the one the SLO is measured in. */
export function parseSloObjective(name: SloName, text: string): ObjectiveParse {
  const parsed = parseObjective(text)
  if (!parsed.ok) return parsed
  const expected = SLO_UNITS[name]
  const {objective} = parsed
  if (objective.unit === expected) return parsed
  // A bare zero needs no unit: `rpo: "== 0"` and `errorRate: "== 0"` say exactly what they mean.
  if (objective.unit === 'count' && objective.value === 0) return {objective: {...objective, unit: expected}, ok: true}
  const found = objective.unit === 'count' ? 'a number without a unit' : UNIT_NOUNS[objective.unit]
  return {
    ok: false,
    reason: `${name} is ${UNIT_NOUNS[expected]}: expected an objective such as "${SLO_EXAMPLES[expected]}", got ${found} in "${text}"`,
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

function operatorHint(text: string): string {
  if (text === '') return `${EXAMPLE}, got an empty string`
  if (/^=[^=]/.test(text)) return `use "==" to compare for equality, got "${text}"`
  if (/^(=<|=>)/.test(text)) return `write "${text[1]}=" rather than "${text.slice(0, 2)}", got "${text}"`
  if (/^(\d|\.)/.test(text)) return `start with a comparison (<, <=, ==, !=, >=, >), for example "<= ${text}", got "${text}"`
  return `${EXAMPLE}, got "${text}"`
}
