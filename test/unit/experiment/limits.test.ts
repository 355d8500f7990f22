/**
 * Hostile and oversized input: refused quickly, with a located message, never a crash. 10,000 nested `{`
 * abort Node outright inside yaml's composer (an out-of-memory abort, not a catchable error), so these
 * tests guard a real failure, not a hypothetical one.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {isRiftError} from '../../../src/errors.js'
import {loadExperiment, MAX_EXPERIMENT_BYTES, parseExperiment} from '../../../src/experiment/load.js'
import {MAX_NESTING_DEPTH} from '../../../src/experiment/yaml-source.js'
import {testRegistry} from './drivers.js'
import {fixture, issuesOf, problems, rejection, summarise} from './fixtures.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rift-limits-'))
})
afterAll(async () => {
  await rm(dir, {force: true, recursive: true})
})

/** Problems and how long finding them took. */
async function timed(run: () => unknown): Promise<{ms: number; problems: string[]}> {
  const started = performance.now()
  const error = await rejection(run)
  return {ms: performance.now() - started, problems: summarise(issuesOf(error))}
}

describe('size', () => {
  it('refuses a 10 MB file at once, naming its size, without parsing it', async () => {
    const file = join(dir, 'huge.yaml')
    await writeFile(file, `version: rift/v1\ntitle: huge\n# ${'x'.repeat(10 * 1024 * 1024)}\n`)
    const {ms, problems} = await timed(() => loadExperiment(file, testRegistry()))
    expect(problems).toEqual([
      '1:1 (file): the file is 10.0 MiB; experiment files are limited to 1.0 MiB, so it was not read',
    ])
    expect(ms).toBeLessThan(500)
  })

  it('refuses text over the limit in parseExperiment too', async () => {
    const {problems} = await timed(() => parseExperiment('#'.repeat(MAX_EXPERIMENT_BYTES + 1), 'big.yaml', testRegistry()))
    expect(problems[0]).toContain('experiment files are limited to 1.0 MiB')
  })
})

describe('nesting', () => {
  it.each([
    ['10,000 nested [', '['.repeat(10_000)],
    ['10,000 nested {', '{'.repeat(10_000)],
    ['10,000 balanced [ ]', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['10,000 compact block sequences', `${'- '.repeat(10_000)}x`],
    ['a deep value inside a valid document', `version: rift/v1\ntitle: deep\nmethod:\n  - action: sim.cut-link\n    params: {link: ${'['.repeat(10_000)}}\n`],
  ])('refuses %s quickly, at the collection that is too deep', async (_name, text) => {
    const {ms, problems} = await timed(() => parseExperiment(text, 'deep.yaml', testRegistry()))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^\\d+:\\d+ \\(file\\): nested more than ${MAX_NESTING_DEPTH} levels deep`))
    expect(ms).toBeLessThan(2000)
  })

  it('points at the first collection past the limit', async () => {
    const {problems} = await timed(() => parseExperiment(`a:\n  b: ${'['.repeat(100)}`, 'deep.yaml', testRegistry()))
    // `a:` opens level 1, `b:` level 2; the 63rd `[` (column 6 + 62) is level 65.
    expect(problems).toEqual([`2:${6 + MAX_NESTING_DEPTH - 2} (file): nested more than 64 levels deep; an experiment needs far fewer, so the file is refused`])
  })

  it('accepts nesting up to the limit', () => {
    const params = `${'['.repeat(MAX_NESTING_DEPTH - 4)}${']'.repeat(MAX_NESTING_DEPTH - 4)}`
    const text = `version: rift/v1\ntitle: t\ntopology: {regions: [us-east]}\ndriver: sim\nmethod:\n  - probe: sim.reachable\n    params: {from: us-east, to: us-east, deep: ${params}}\n`
    // Depth is fine; the params schema (strict) rejects the extra key, which shows the file got that far.
    expect(() => parseExperiment(text, 'ok.yaml', testRegistry())).toThrowError(/unknown key "deep"/)
  })
})

describe('aliases', () => {
  it('refuses a billion-laughs file quickly', async () => {
    const started = performance.now()
    expect(await problems('invalid/aliases.yaml')).toEqual([
      '1:1 (file): the file\'s aliases (*name) expand to more than 100 nodes, which looks like a "billion laughs" file; it is refused',
    ])
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('refuses an alias to a node that contains it (a cycle)', async () => {
    const {problems} = await timed(() => parseExperiment('version: rift/v1\nloop: &a {again: *a}\n', 'x.yaml', testRegistry()))
    expect(problems).toEqual(['2:18 loop.again: alias *a refers to a node that contains it, which would never end'])
  })

  it('refuses an alias to an anchor that does not exist', async () => {
    const {problems} = await timed(() => parseExperiment('version: rift/v1\ntitle: *nope\n', 'x.yaml', testRegistry()))
    expect(problems).toEqual(['2:8 title: alias *nope refers to no anchor: define &nope before it'])
  })

  it('follows ordinary aliases and merge keys, and locates problems through them', async () => {
    const text = [
      'version: rift/v1',
      'title: aliases',
      'topology: {regions: [us-east]}',
      'driver: sim',
      'x-outage: &outage {fault: region-outage, region: us-east, duration: 5s}',
      'method:',
      '  - *outage',
      '  - <<: *outage',
      '    region: us-wast',
    ].join('\n')
    const {problems} = await timed(() => parseExperiment(text, 'x.yaml', testRegistry()))
    expect(problems).toEqual([
      '5:1 x-outage: unknown key "x-outage"; allowed here: $schema, description, driver, guardrails, method, slos, sandbox, steadyState, tags, title, topology, version, workload',
      '9:13 method[1].region: unknown region "us-wast". Did you mean "us-east"?',
    ])
  })
})

describe('keys', () => {
  it('refuses keys that are lists or mappings', async () => {
    const {problems} = await timed(() => parseExperiment('version: rift/v1\n? [a, b]\n: c\n', 'x.yaml', testRegistry()))
    expect(problems).toEqual(['2:3 (file): a key must be plain text, not a list or a mapping'])
  })

  it('refuses a second YAML document', async () => {
    const {problems} = await timed(() => parseExperiment('version: rift/v1\n---\nversion: rift/v1\n', 'x.yaml', testRegistry()))
    expect(problems).toEqual(['2:1 (file): a second YAML document starts here (after ---); an experiment file holds one document'])
  })
})

it('fixture paths stay relative so messages read as users typed them', () => {
  expect(fixture('valid/minimal.json')).toBe('test/fixtures/experiments/valid/minimal.json')
})

describe('mangled input', () => {
  /** Deterministic, so a failure reproduces: a small linear congruential generator. */
  function random(seed: number): () => number {
    let state = seed
    return () => {
      state = (state * 1_103_515_245 + 12_345) & 0x7f_ff_ff_ff
      return state / 0x7f_ff_ff_ff
    }
  }

  it('answers 500 randomly damaged files with located problems and nothing else', async () => {
    const sources = await Promise.all(['valid/region-outage.yaml', 'valid/minimal.json'].map((name) => readFile(fixture(name), 'utf8')))
    const pieces = ['[', ']', '{', '}', ':', '- ', ' ', '\n', '"', "'", '&a ', '*a', '<<: ', '#', '!!', ',', '? ', '|', '\t', '%', '\\']
    const next = random(42)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
    for (let round = 0; round < 500; round++) {
      let text = pick(sources)
      for (let edit = 0; edit < 1 + Math.floor(next() * 4); edit++) {
        const at = Math.floor(next() * text.length)
        const from = Math.floor(next() * text.length)
        const choice = next()
        if (choice < 0.4) text = text.slice(0, at) + pick(pieces) + text.slice(at)
        else if (choice < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 10))
        else text = text.slice(0, at) + text.slice(from, from + 20) + text.slice(at)
      }
      try {
        parseExperiment(text, 'mangled.yaml', testRegistry())
      } catch (error) {
        if (!isRiftError(error)) throw error
        for (const issue of issuesOf(error)) {
          expect(issue.line, text).toBeGreaterThanOrEqual(1)
          expect(issue.column, text).toBeGreaterThanOrEqual(1)
          expect(issue.message, text).not.toMatch(/^(Invalid|Too small|Too big|Unrecognized)/)
        }
      }
    }
  })
})
