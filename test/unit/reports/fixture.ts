/** A journal from a real run of experiments/sandbox/active-passive-outage.yaml (paths and host name neutralised). */
import {readFileSync} from 'node:fs'

import type {Journal} from '../../../src/engine/journal.js'

const text = readFileSync(new URL('../../fixtures/journals/active-passive-outage.json', import.meta.url), 'utf8')

/** A fresh copy each time: tests change it to make the other verdicts. */
export function realJournal(): Journal {
  return JSON.parse(text) as Journal
}

/** The same run as if the outage had not been reverted: the revert failed and the verdict says so. */
export function rollbackIncompleteJournal(): Journal {
  const journal = realJournal()
  const fault = journal.faults[0]!
  fault.revert = 'failed'
  fault.revertedAt = null
  fault.revertError = 'PATCH /proxies/client-us-east: connect ECONNREFUSED 127.0.0.1:8474'
  journal.verdict = 'rollback-incomplete'
  journal.exitCode = 6
  journal.reason = `could not revert f1 (region-outage on ${fault.target}); finish with: rift rollback --run ${journal.runId}`
  journal.steadyState.after = null
  journal.errors.push({code: 'RIFT_ROLLBACK_INCOMPLETE', message: journal.reason, phase: 'rollback'})
  return journal
}

/** Strings that break naive reports: markup, quotes, Markdown, a terminal colour code and a NUL. */
export const HOSTILE = `<script>alert("x")</script> & 'quotes' | *stars* _under_ [link](http://example.com) \u001B[31mred\u001B[0m\u0000 # end`
