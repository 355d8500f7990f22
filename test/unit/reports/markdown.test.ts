import {describe, expect, it} from 'vitest'

import {renderMarkdown} from '../../../src/reports/markdown.js'
import {HOSTILE, realJournal, rollbackIncompleteJournal} from './fixture.js'

describe('summary.md', () => {
  it('leads with the verdict and reason, then the SLOs, faults, failover phases and the write ledger', () => {
    const journal = realJournal()
    const text = renderMarkdown(journal)
    const lines = text.split('\n')
    expect(lines[0]).toBe('## ✅ Passed — a us-east outage fails over to eu-west and writes keep working')
    expect(lines[2]).toBe('> the hypothesis held, all 2 SLO(s) were met and everything was reverted')
    expect(text).toContain(`Run \`${journal.runId}\` · 2026-11-26 14:24:47 UTC · 6.37 s · exit 0 · \`experiments/sandbox/active-passive-outage.yaml\``)
    expect(text).toContain('| `failoverTime` | `<= 5s` | 217 ms ±20 ms | 228 | ✅ pass |')
    expect(text).toContain('| `availability` | `>= 80%` | 96.07% | 280 | ✅ pass |')
    expect(text).toContain('| f1 | `region-outage` | links client-us-east, repl-us-east-eu-west, repl-eu-west-us-east | yes | reverted |')
    expect(text).toContain('Client-observed failover time (RTO): **217 ms** (±20 ms, the probe interval), over 228 probes after the fault started.')
    expect(text).toContain('| first failed probe | +17 ms | 1.1 s |')
    expect(text).toContain('| recovered (3 successes in a row) | +217 ms | 1.3 s |')
    expect(text).toContain('280 writes attempted, 269 acknowledged; **0 acknowledged write(s) lost**.')
    expect(text).toContain('| `unacked-and-absent` | 11 | refused or timed out, and not stored: expected |')
    expect(text).toContain('| fault f1 | 4.03 s | 201 | 95.02% | 1.56 ms | 4.57 ms |')
    // Sections in reading order.
    const order = ['### SLOs', '### Probes', '### Faults', '### Failover', '### Writes and data loss', '### Availability and latency by phase'].map((heading) => text.indexOf(heading))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(order.every((index) => index > 0)).toBe(true)
  })

  it('says what to do when rollback is incomplete, and shows the failed revert', () => {
    const journal = rollbackIncompleteJournal()
    const text = renderMarkdown(journal)
    expect(text.split('\n')[0]).toMatch(/^## 🚨 Rollback incomplete/)
    expect(text).toContain(`**Something may still be faulted.** Fix the cause, then run \`rift rollback --run ${journal.runId}\`.`)
    expect(text).toContain('🚨 failed: PATCH /proxies/client-us-east: connect ECONNREFUSED 127.0.0.1:8474')
    expect(text).toContain('- `RIFT_ROLLBACK_INCOMPLETE` in rollback: could not revert f1')
  })

  it('lists lost keys and the RPO window when writes were lost', () => {
    const journal = realJournal()
    const ledger = journal.workloads!.ledger!
    ledger.lost = {count: 2, keys: ['k-0101', 'k-0102']}
    ledger.counts['acked-and-lost'] = 2
    ledger.rpo.windowMs = 40.5
    expect(renderMarkdown(journal)).toContain('**2 acknowledged write(s) lost** (RPO window 41 ms).')
    expect(renderMarkdown(journal)).toContain('Lost keys: `k-0101`, `k-0102`')
  })

  it('escapes titles and details so they cannot become markup, links or extra table cells', () => {
    const journal = realJournal()
    journal.experiment.title = HOSTILE
    journal.probes[0] = {...journal.probes[0]!, detail: 'a | b\nc', name: HOSTILE}
    const text = renderMarkdown(journal)
    expect(text).not.toContain('<script>')
    expect(text).not.toMatch(/[^\\]\]\(http/)
    expect(text).toContain('\\<script\\>alert("x")\\</script\\> &amp; \'quotes\' \\| \\*stars\\* \\_under\\_ \\[link\\](http://example.com)')
    const row = text.split('\n').find((line) => line.startsWith('| method |') && line.includes('stars'))!
    // 4 columns: 5 unescaped pipes, however many the text had.
    expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(5)
    expect(row).toContain('a \\| b c')
  })
})
