import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {ERROR_CODES, ExitCode} from '../../src/errors.js'
import {VERDICT_EXIT_CODES} from '../../src/engine/verdict.js'

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
const documented = new Map([...doc.matchAll(/^\| `(RIFT_[A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]))

describe('docs/errors.md', () => {
  it('documents every error code with its exit code, and no code that does not exist', () => {
    expect(Object.fromEntries(documented)).toEqual(ERROR_CODES)
  })

  it('lists every exit code of the brief, and every verdict with its exit code', () => {
    const rows = [...doc.matchAll(/^\| (\d+) \| ([a-z-—]+) \|/gm)].map((m) => [Number(m[1]), m[2]])
    expect(rows.map(([code]) => code).sort((a, b) => Number(a) - Number(b))).toEqual(Object.values(ExitCode).sort((a, b) => a - b))
    for (const [verdict, code] of Object.entries(VERDICT_EXIT_CODES)) expect(rows).toContainEqual([code, verdict])
  })
})
