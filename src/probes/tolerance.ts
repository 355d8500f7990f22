/**
 * Does a probe's value satisfy its tolerance? Each tolerance form is tagged by its one key, so `[200, 299]`
 * can never mean both "range" and "one of". No coercion: `"200"` is not `200`, and a string is never in a
 * numeric range — a value of the wrong type fails, it does not pass by accident.
 */
import type {Json} from '../drivers/define.js'
import type {Tolerance} from '../experiment/schema.js'

export interface ToleranceCheck {
  detail: string
  ok: boolean
}

type ToleranceKind = Tolerance extends infer T ? (T extends unknown ? keyof T : never) : never
type Tagged = {[K in ToleranceKind]: {kind: K; operand: Extract<Tolerance, Record<K, unknown>>[K]}}[ToleranceKind]

/** The schema makes each tolerance an object with exactly one of these keys. */
function tag(tolerance: Tolerance): Tagged {
  const kind = Object.keys(tolerance)[0] as ToleranceKind
  return {kind, operand: (tolerance as Record<string, unknown>)[kind]} as Tagged
}

export function checkTolerance(value: Json, tolerance: Tolerance): ToleranceCheck {
  const shown = show(value)
  const t = tag(tolerance)
  switch (t.kind) {
    case 'equals': {
      return verdict(deepEqual(value, t.operand), `${shown} equals ${show(t.operand)}`, `${shown}, expected ${show(t.operand)}`)
    }
    case 'oneOf': {
      const options = t.operand.map(show).join(', ')
      return verdict(t.operand.some((option) => deepEqual(value, option)), `${shown} is one of ${options}`, `${shown}, expected one of ${options}`)
    }
    case 'range': {
      const [min, max] = t.operand
      if (min > max) return {detail: `the range [${min}, ${max}] is empty (min > max)`, ok: false}
      if (!isNumber(value)) return {detail: `${shown} is not a number, expected one in [${min}, ${max}]`, ok: false}
      return verdict(value >= min && value <= max, `${shown} is in [${min}, ${max}]`, `${shown}, expected a number in [${min}, ${max}]`)
    }
    case 'atLeast': {
      if (!isNumber(value)) return {detail: `${shown} is not a number, expected at least ${t.operand}`, ok: false}
      return verdict(value >= t.operand, `${shown} is at least ${t.operand}`, `${shown}, expected at least ${t.operand}`)
    }
    case 'atMost': {
      if (!isNumber(value)) return {detail: `${shown} is not a number, expected at most ${t.operand}`, ok: false}
      return verdict(value <= t.operand, `${shown} is at most ${t.operand}`, `${shown}, expected at most ${t.operand}`)
    }
    case 'regex': {
      // Unanchored, like grep: write ^…$ to match the whole string.
      let pattern: RegExp
      try {
        pattern = new RegExp(t.operand)
      } catch (error) {
        return {detail: `invalid regex /${t.operand}/: ${error instanceof Error ? error.message : String(error)}`, ok: false}
      }
      if (typeof value !== 'string') return {detail: `${shown} is not a string, expected one matching /${t.operand}/`, ok: false}
      return verdict(pattern.test(value), `${shown} matches /${t.operand}/`, `${shown} does not match /${t.operand}/`)
    }
  }
}

function verdict(ok: boolean, pass: string, fail: string): ToleranceCheck {
  return {detail: ok ? pass : fail, ok}
}

function isNumber(value: Json): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** Structural equality over JSON: arrays in order, objects by their keys whatever the order. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]!))
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key]!, b[key]!))
}

function show(value: Json | undefined): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
