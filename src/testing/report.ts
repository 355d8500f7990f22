/**
 * What `runConformance` returns: one named check per rule and fault. `warned` is a rule of thumb not met (not a
 * failure); `skipped` is a check that could not run (no verify, no module for the fresh process).
 */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'warned'

export interface ConformanceCheck {
  /** What was seen, or why it failed or was skipped. */
  detail: string
  /** The fault or action the check exercised (`latency`, `memory.cut-link`); `driver` for whole-driver checks. */
  fault: string
  /** One of CHECKS. */
  name: CheckName
  status: CheckStatus
}

/** The contract, in the order the kit checks it. docs/creating-drivers.md has a section for each rule. */
export const CHECKS = [
  'a live driver says which account it acts in',
  'plan is deterministic',
  'plan names its state from the run id',
  'inject then verify shows the fault',
  'revert twice gives reverted then already-reverted',
  'verify after revert shows no fault',
  'revert without inject is harmless',
  'inject honours an aborted signal',
  'revert from the ledger in a fresh process',
  'declined faults are reported by plan',
  'every fault and action is exercised',
] as const
export type CheckName = (typeof CHECKS)[number]

export interface ConformanceReport {
  checks: ConformanceCheck[]
  driver: string
  /** The checks that failed; empty when the driver conforms. */
  failures: ConformanceCheck[]
  passed: boolean
}

export function buildReport(driver: string, checks: ConformanceCheck[]): ConformanceReport {
  const failures = checks.filter((check) => check.status === 'failed')
  return {checks, driver, failures, passed: failures.length === 0}
}

/** One line per check: `✓ latency: plan is deterministic`. */
export function formatReport(report: ConformanceReport): string {
  const mark = {failed: '✗', passed: '✓', skipped: '-', warned: '!'} as const
  const lines = report.checks.map((check) => `${mark[check.status]} ${check.fault}: ${check.name}${check.detail ? ` — ${check.detail}` : ''}`)
  return [`conformance of driver "${report.driver}": ${report.passed ? 'passed' : `${report.failures.length} failed`}`, ...lines].join('\n')
}

/** Throws an Error listing every failed check; for test frameworks: `assertConformance(await runConformance(...))`. */
export function assertConformance(report: ConformanceReport): ConformanceReport {
  if (!report.passed) throw new Error(formatReport(report))
  return report
}
