/**
 * `junit.xml`: the run as a JUnit test suite, for CI test-report views. One testsuite per experiment; one
 * testcase per steady-state probe (before and after), method probe, fault, SLO, and one for the rollback.
 *
 * Invariant: the file is green exactly when the verdict is `passed`. A verdict that no testcase explains
 * (an interruption, a preflight refusal) gets a testcase of its own, so a CI view never shows a clean suite
 * for a run that exited non-zero. An inconclusive SLO is a failure (type `inconclusive`), never a skip:
 * a run that measured nothing cannot claim to have met anything.
 */
import {XMLBuilder} from 'fast-xml-parser'

import type {ErrorCode} from '../errors.js'
import type {Journal, ProbeRecord} from '../engine/journal.js'
import type {Verdict} from '../engine/verdict.js'
import {formatObserved, rollbackIncomplete} from './figures.js'

interface Outcome {
  body: string
  message: string
  type: string
}

interface TestCase {
  classname: string
  error?: Outcome
  failure?: Outcome
  name: string
  skipped?: string
  systemOut?: string
  timeMs: number
}

/** Errors a probe, fault or rollback testcase already shows; any other error gets a testcase of its own. */
const SHOWN_ELSEWHERE = new Set<ErrorCode>(['RIFT_HYPOTHESIS_DEVIATED', 'RIFT_PROBE_FAILED', 'RIFT_ROLLBACK_INCOMPLETE', 'RIFT_STEADY_STATE_NOT_MET'])

/** Verdicts that mean the run could not judge the system (an error) rather than judged it wanting (a failure). */
const ERROR_VERDICTS = new Set<Verdict>(['aborted', 'error', 'interrupted', 'rollback-incomplete'])

export function renderJunit(journal: Journal): string {
  const cases = junitCases(journal)
  const count = (key: 'error' | 'failure' | 'skipped') => cases.filter((test) => test[key] !== undefined).length
  const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3)
  const totals = {'@_errors': count('error'), '@_failures': count('failure'), '@_skipped': count('skipped'), '@_tests': cases.length, '@_time': seconds(journal.durationMs)}
  const properties = {
    'rift.exitCode': String(journal.exitCode),
    'rift.experiment': journal.experiment.file,
    'rift.reason': journal.reason,
    'rift.runDir': journal.paths.dir,
    'rift.runId': journal.runId,
    'rift.tags': journal.experiment.tags.join(', '),
    'rift.verdict': journal.verdict,
    'rift.version': journal.environment.rift,
  }
  const document = {
    // The XML declaration's attributes are ordered: version first.
    '?xml': {'@_version': '1.0', '@_encoding': 'UTF-8'},
    testsuites: {
      '@_name': 'rift',
      ...totals,
      testsuite: {
        '@_hostname': attribute(journal.environment.hostname),
        '@_id': journal.runId,
        '@_name': attribute(journal.experiment.title),
        ...totals,
        '@_timestamp': journal.startedAt.replace(/\.\d+Z$/, ''),
        properties: {property: Object.entries(properties).map(([name, value]) => ({'@_name': name, '@_value': attribute(value)}))},
        testcase: cases.map((test) => ({
          '@_classname': test.classname,
          '@_name': attribute(test.name),
          '@_time': seconds(test.timeMs),
          ...(test.failure ? {failure: outcome(test.failure)} : {}),
          ...(test.error ? {error: outcome(test.error)} : {}),
          ...(test.skipped === undefined ? {} : {skipped: {'@_message': attribute(test.skipped)}}),
          ...(test.systemOut === undefined ? {} : {'system-out': clean(test.systemOut)}),
        })),
        'system-out': clean(`${journal.verdict.toUpperCase()} (exit ${journal.exitCode}): ${journal.reason}\nrun folder: ${journal.paths.dir}`),
      },
    },
  }
  const builder = new XMLBuilder({attributeNamePrefix: '@_', format: true, ignoreAttributes: false, indentBy: '  ', suppressEmptyNode: true})
  return builder.build(document)
}

/** The testcases in the order the run went: before, method, faults, after, SLOs, rollback, anything else. */
export function junitCases(journal: Journal): TestCase[] {
  const cases: TestCase[] = [
    ...probeCases('steady-state.before', journal.steadyState.before ?? []),
    ...probeCases('method', journal.probes),
    ...journal.faults.map((fault): TestCase => {
      const name = `${fault.id} ${fault.kind} on ${fault.target} landed`
      // The testcase's time is how long the fault was held.
      const heldMs = fault.injectedAt && fault.revertedAt ? Date.parse(fault.revertedAt) - Date.parse(fault.injectedAt) : 0
      const base = {classname: 'rift.fault', name, timeMs: heldMs}
      if (fault.injectedAt === null) {
        const why = journal.errors.find((error) => error.code === 'RIFT_INJECT_FAILED')?.message ?? 'the driver could not inject it'
        return {...base, error: {body: why, message: `${fault.id} was not injected: ${why}`, type: 'inject-failed'}}
      }
      if (fault.landed === false) return {...base, failure: {body: fault.landedDetail, message: `${fault.id} did not land: ${fault.landedDetail}`, type: 'not-landed'}}
      return {...base, systemOut: fault.landed === null ? `not verified: the ${fault.driver} driver cannot check this fault (${fault.landedDetail})` : fault.landedDetail}
    }),
    ...afterCases(journal),
    ...journal.slos.map((slo): TestCase => {
      const observed = formatObserved(journal, slo)
      const base = {classname: 'rift.slo', name: `${slo.name} ${slo.objective}`, timeMs: 0}
      const body = `objective: ${slo.objective}\nobserved: ${observed}\nsamples: ${slo.samples}\n${slo.detail}`
      switch (slo.status) {
        case 'pass':
          return {...base, systemOut: `observed ${observed} over ${slo.samples} samples: met`}
        case 'fail':
          return {...base, failure: {body, message: `observed ${observed}, objective ${slo.objective}`, type: 'slo-violated'}}
        case 'inconclusive':
          return {...base, failure: {body, message: `inconclusive: ${slo.detail}`, type: 'inconclusive'}}
      }
    }),
    rollbackCase(journal),
    ...journal.errors
      .filter((error) => !SHOWN_ELSEWHERE.has(error.code) && error.code !== 'RIFT_INJECT_FAILED')
      .map((error): TestCase => ({classname: 'rift.run', error: {body: error.message, message: error.message, type: error.code}, name: `${error.code} in ${error.phase}`, timeMs: 0})),
  ]
  const red = cases.some((test) => test.failure !== undefined || test.error !== undefined)
  if (journal.verdict !== 'passed' && !red) {
    const outcome = {body: journal.reason, message: journal.reason, type: journal.verdict}
    cases.push({classname: 'rift.run', name: `verdict ${journal.verdict}`, timeMs: 0, ...(ERROR_VERDICTS.has(journal.verdict) ? {error: outcome} : {failure: outcome})})
  }
  return cases
}

function probeCases(phase: string, records: readonly ProbeRecord[]): TestCase[] {
  return records.map((record) => {
    const base = {classname: `rift.${phase}`, name: record.name, timeMs: record.durationMs}
    if (record.error !== undefined) return {...base, error: {body: record.error, message: `could not run: ${record.error}`, type: 'probe-error'}}
    if (!record.ok) return {...base, failure: {body: `value: ${JSON.stringify(record.value)}\n${record.detail}`, message: record.detail, type: 'probe-not-met'}}
    return {...base, systemOut: record.detail}
  })
}

/** The after-check's probes; when it never ran, its probes (known from the before-check) are skipped. */
function afterCases(journal: Journal): TestCase[] {
  const {after, before} = journal.steadyState
  if (after !== null) return probeCases('steady-state.after', after)
  return (before ?? []).map((record) => ({
    classname: 'rift.steady-state.after',
    name: record.name,
    skipped: `not checked: the run stopped before the steady state after the method (${journal.verdict})`,
    timeMs: 0,
  }))
}

function rollbackCase(journal: Journal): TestCase {
  const base = {classname: 'rift.rollback', name: 'every injected fault was reverted', timeMs: 0}
  const reverted = journal.faults.filter((fault) => fault.revert === 'reverted' || fault.revert === 'already-reverted')
  if (!rollbackIncomplete(journal)) return {...base, systemOut: journal.faults.length === 0 ? 'nothing was injected' : reverted.map((fault) => `${fault.id}: ${fault.revert}`).join('\n')}
  const stuck = journal.faults.filter((fault) => fault.revert === 'failed' || fault.revert === 'pending')
  const lines = stuck.map((fault) => `${fault.id} ${fault.kind} on ${fault.target}: ${fault.revert === 'failed' ? `revert failed: ${fault.revertError ?? 'unknown error'}` : 'never reverted'}`)
  const finish = `finish with: rift rollback --run ${journal.runId}`
  const message = stuck.length > 0 ? `could not revert ${stuck.map((fault) => fault.id).join(', ')}; ${finish}` : `${journal.reason}; ${finish}`
  return {...base, error: {body: [...lines, finish].join('\n'), message, type: 'rollback-incomplete'}}
}

function outcome(value: Outcome): Record<string, string> {
  return {'#text': clean(value.body), '@_message': attribute(value.message), '@_type': value.type}
}

/** Attribute values on one line: parsers turn newlines in attributes into spaces anyway. */
function attribute(text: string): string {
  return clean(text).replace(/\s*\r?\n\s*/g, ' ')
}

/**
 * Only what XML 1.0 can hold: terminal colour codes (a command probe's output) are dropped, and so are the
 * control characters and lone surrogates no XML parser accepts even escaped. Escaping of <, &, " is the builder's.
 */
export function clean(text: string): string {
  /* eslint-disable no-control-regex -- control characters are exactly what these patterns remove */
  return text
    .replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
  /* eslint-enable no-control-regex */
}
