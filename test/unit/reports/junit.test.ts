import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'

import type {Journal} from '../../../src/engine/journal.js'
import type {Verdict} from '../../../src/engine/verdict.js'
import {renderJunit} from '../../../src/reports/junit.js'
import {HOSTILE, realJournal, rollbackIncompleteJournal} from './fixture.js'

interface Case {
  '@_classname': string
  '@_name': string
  '@_time': string
  error?: {'#text'?: string; '@_message': string; '@_type': string}
  failure?: {'#text'?: string; '@_message': string; '@_type': string}
  skipped?: {'@_message': string}
  'system-out'?: string
}

function parse(journal: Journal) {
  const xml = renderJunit(journal)
  expect(XMLValidator.validate(xml)).toBe(true)
  const parsed = new XMLParser({alwaysCreateTextNode: false, ignoreAttributes: false, isArray: (name) => ['testcase', 'property'].includes(name), parseAttributeValue: false}).parse(xml)
  const suite = parsed.testsuites.testsuite
  return {cases: suite.testcase as Case[], suite, suites: parsed.testsuites, xml}
}

describe('junit.xml', () => {
  it('makes one suite of a passed run: a testcase per steady-state probe, method probe, fault, SLO and the rollback', () => {
    const journal = realJournal()
    const {cases, suite, suites, xml} = parse(journal)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(suite).toMatchObject({'@_errors': '0', '@_failures': '0', '@_id': journal.runId, '@_name': journal.experiment.title, '@_tests': String(cases.length)})
    expect(suites['@_tests']).toBe(String(cases.length))
    expect(cases.map((test) => `${test['@_classname']} | ${test['@_name']}`)).toEqual([
      'rift.steady-state.before | writes and reads work through the router',
      'rift.method | the router moved traffic to eu-west',
      'rift.method | writes work during the outage',
      'rift.fault | f1 region-outage on links client-us-east, repl-us-east-eu-west, repl-eu-west-us-east landed',
      'rift.steady-state.after | writes and reads work through the router',
      'rift.slo | failoverTime <= 5s',
      'rift.slo | availability >= 80%',
      'rift.rollback | every injected fault was reverted',
    ])
    expect(cases.find((test) => test['@_name'] === 'failoverTime <= 5s')!['system-out']).toBe('observed 217 ms ±20 ms over 228 samples: met')
    const properties = Object.fromEntries(suite.properties.property.map((p: Record<string, string>) => [p['@_name'], p['@_value']]))
    expect(properties).toMatchObject({'rift.exitCode': '0', 'rift.runId': journal.runId, 'rift.verdict': 'passed'})
    expect(cases[0]!['@_time']).toBe((journal.steadyState.before![0]!.durationMs / 1000).toFixed(3))
    const [fault] = journal.faults
    expect(cases[3]!['@_time']).toBe(((Date.parse(fault!.revertedAt!) - Date.parse(fault!.injectedAt!)) / 1000).toFixed(3))
  })

  it('shows a violated SLO as a failure with the observed value against the objective', () => {
    const journal = realJournal()
    journal.slos[0] = {...journal.slos[0]!, detail: 'not met', observed: 7250, status: 'fail'}
    journal.verdict = 'failed'
    journal.exitCode = 3
    const {cases, suite} = parse(journal)
    const slo = cases.find((test) => test['@_name'] === 'failoverTime <= 5s')!
    expect(slo.failure).toMatchObject({'@_message': 'observed 7.25 s ±20 ms, objective <= 5s', '@_type': 'slo-violated'})
    expect(slo.failure!['#text']).toContain('samples: 228')
    expect(suite['@_failures']).toBe('1')
  })

  it('fails an inconclusive SLO rather than skipping it: nothing measured is never a pass', () => {
    const journal = realJournal()
    journal.slos.push({detail: 'nothing in this run measured dataLoss; add a workload that does', name: 'dataLoss', objective: '== 0', observed: null, resolution: null, samples: 0, status: 'inconclusive'})
    journal.verdict = 'inconclusive'
    const {cases} = parse(journal)
    const slo = cases.find((test) => test['@_name'] === 'dataLoss == 0')!
    expect(slo.failure).toMatchObject({'@_message': 'inconclusive: nothing in this run measured dataLoss; add a workload that does', '@_type': 'inconclusive'})
    expect(slo.failure!['#text']).toContain('observed: not measured')
  })

  it('adds an error testcase naming the fault and the rollback command when rollback is incomplete', () => {
    const journal = rollbackIncompleteJournal()
    const {cases, suite} = parse(journal)
    const rollback = cases.find((test) => test['@_classname'] === 'rift.rollback')!
    expect(rollback.error!['@_type']).toBe('rollback-incomplete')
    expect(rollback.error!['@_message']).toBe(`could not revert f1; finish with: rift rollback --run ${journal.runId}`)
    expect(rollback.error!['#text']).toContain('revert failed: PATCH /proxies/client-us-east: connect ECONNREFUSED 127.0.0.1:8474')
    expect(suite['@_errors']).toBe('1')
    // The after-check never ran: its probe is skipped, not passed.
    expect(cases.find((test) => test['@_classname'] === 'rift.steady-state.after')!.skipped!['@_message']).toContain('not checked')
  })

  it('treats a fault left pending (a run that could not finish) as an incomplete rollback too', () => {
    const journal = realJournal()
    journal.faults[0]!.revert = 'pending'
    const rollback = parse(journal).cases.find((test) => test['@_classname'] === 'rift.rollback')!
    expect(rollback.error!['#text']).toContain('never reverted')
  })

  it('fails the probe that was not met when the steady state did not hold before the method', () => {
    const journal = realJournal()
    journal.steadyState.before![0] = {...journal.steadyState.before![0]!, detail: 'false does not equal true', ok: false, value: false}
    Object.assign(journal, {exitCode: 4, faults: [], probes: [], slos: [], steadyState: {after: null, before: journal.steadyState.before}, verdict: 'aborted', workloads: null})
    journal.errors = [{code: 'RIFT_STEADY_STATE_NOT_MET', message: 'steady state not met', phase: 'steady-state-before'}]
    const {cases} = parse(journal)
    expect(cases[0]!.failure).toMatchObject({'@_message': 'false does not equal true', '@_type': 'probe-not-met'})
    // The error is the probe's failure, not shown twice.
    expect(cases.filter((test) => test['@_classname'] === 'rift.run')).toEqual([])
  })

  it('shows a probe that could not run as an error, and run errors as testcases of their own', () => {
    const journal = realJournal()
    journal.probes[0] = {...journal.probes[0]!, error: 'connect ECONNREFUSED 127.0.0.1:9', ok: false}
    journal.errors.push({code: 'RIFT_DRIVER_UNREACHABLE', message: 'cannot reach toxiproxy at http://127.0.0.1:8474', phase: 'preflight'})
    journal.verdict = 'error'
    const {cases} = parse(journal)
    expect(cases[1]!.error).toMatchObject({'@_message': 'could not run: connect ECONNREFUSED 127.0.0.1:9', '@_type': 'probe-error'})
    expect(cases.at(-1)).toMatchObject({'@_classname': 'rift.run', '@_name': 'RIFT_DRIVER_UNREACHABLE in preflight', error: {'@_type': 'RIFT_DRIVER_UNREACHABLE'}})
  })

  it('is green exactly when the verdict is passed, whatever the verdict', () => {
    const verdicts: Verdict[] = ['passed', 'failed', 'aborted', 'error', 'rollback-incomplete', 'inconclusive', 'interrupted']
    for (const verdict of verdicts) {
      const journal = realJournal()
      journal.verdict = verdict
      journal.reason = `a ${verdict} run`
      const {suite} = parse(journal)
      const red = Number(suite['@_failures']) + Number(suite['@_errors'])
      expect({red: red > 0, verdict}).toEqual({red: verdict !== 'passed', verdict})
    }
    const interrupted = realJournal()
    interrupted.verdict = 'interrupted'
    interrupted.reason = 'interrupted by a signal; everything held was reverted'
    expect(parse(interrupted).cases.at(-1)).toMatchObject({'@_name': 'verdict interrupted', error: {'@_message': interrupted.reason, '@_type': 'interrupted'}})
  })

  it('escapes markup and drops what XML cannot hold, so any title or probe output stays a valid file', () => {
    const journal = realJournal()
    journal.experiment.title = HOSTILE
    journal.probes[0] = {...journal.probes[0]!, detail: HOSTILE, name: HOSTILE, ok: false}
    journal.verdict = 'failed'
    const {cases, suite, xml} = parse(journal)
    expect(xml).not.toContain('<script>')
    expect(xml).not.toContain('\u001B')
    expect(xml).not.toContain('\u0000')
    const expected = `<script>alert("x")</script> & 'quotes' | *stars* _under_ [link](http://example.com) red # end`
    expect(suite['@_name']).toBe(expected)
    expect(cases[1]!['@_name']).toBe(expected)
    expect(cases[1]!.failure!['@_message']).toBe(expected)
  })
})
