/**
 * An experiment that says `sandbox: <pattern>` takes its topology from the sandbox and, unless it names
 * one, the toxiproxy driver. Filled in on the raw document before the schema sees it, so validation, plan
 * and run all see one complete document; the run later adds the live addresses (attach.ts).
 */
import {sandboxSkeleton, type SandboxSpec} from '../sandbox/skeleton.js'
import {PATTERNS, type Pattern} from '../sandbox/types.js'
import type {IssueDraft} from './issues.js'
import {isPlainObject} from './schema-walk.js'

export function sandboxSpecOf(value: unknown): SandboxSpec | undefined {
  if (typeof value === 'string') return PATTERNS.includes(value as Pattern) ? {pattern: value as Pattern, regions: 2} : undefined
  if (!isPlainObject(value) || !PATTERNS.includes(value.pattern as Pattern)) return undefined
  const regions = typeof value.regions === 'number' && Number.isInteger(value.regions) && value.regions >= 1 && value.regions <= 10 ? value.regions : 2
  return {pattern: value.pattern as Pattern, regions, replication: value.replication as SandboxSpec['replication']}
}

/** Returns the document to validate, and problems with combining `sandbox:` and `topology:`. */
export function applySandboxDefaults(doc: Record<string, unknown>): {doc: Record<string, unknown>; issues: IssueDraft[]} {
  if (doc.sandbox === undefined) return {doc, issues: []}
  if (doc.topology !== undefined) {
    const message = 'a sandbox experiment takes its topology from the sandbox; remove topology (its regions are us-east, eu-west, …)'
    return {doc: {...doc, driver: doc.driver ?? 'toxiproxy'}, issues: [{message, path: ['topology']}]}
  }
  const spec = sandboxSpecOf(doc.sandbox)
  if (!spec) return {doc, issues: []} // the schema reports the malformed sandbox
  return {doc: {...doc, driver: doc.driver ?? 'toxiproxy', topology: sandboxSkeleton(spec)}, issues: []}
}
