/**
 * `rift validate` as a user runs it: the built CLI in a child process. Needs `npm run build` first (the
 * test script does it); without dist/ these tests are skipped with a message rather than failing.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const built = existsSync(`${root}/dist/commands/validate.js`)
if (!built) console.warn('test/e2e/validate.test.ts skipped: dist/commands/validate.js is missing; run `npm run build` first')

function rift(...args: string[]) {
  const env = {...process.env, DEBUG: ''}
  const result = spawnSync(process.execPath, ['bin/run.js', ...args], {cwd: root, encoding: 'utf8', env, timeout: 20_000})
  return {status: result.status, stderr: result.stderr, stdout: result.stdout}
}

const invalid = (name: string) => `test/fixtures/experiments/invalid/${name}`

describe.skipIf(!built)('rift validate', () => {
  it('accepts a valid experiment: exit 0 and a one-line summary', () => {
    const {status, stdout} = rift('validate', 'test/fixtures/experiments/valid/memory-outage.yaml')
    expect(stdout.trim()).toBe(
      '✓ test/fixtures/experiments/valid/memory-outage.yaml is a valid rift/v1 experiment: "an outage of us-east leaves eu-west serving" (3 steps, 1 fault)',
    )
    expect(status).toBe(0)
  })

  it('returns the summary as JSON under --json', () => {
    const {status, stdout} = rift('validate', 'test/fixtures/experiments/valid/memory-outage.yaml', '--json')
    expect(JSON.parse(stdout)).toEqual({
      drivers: ['memory'],
      faults: 1,
      file: 'test/fixtures/experiments/valid/memory-outage.yaml',
      steps: 3,
      title: 'an outage of us-east leaves eu-west serving',
      valid: true,
    })
    expect(status).toBe(0)
  })

  it.each([
    ['syntax-error.yaml', ':2:8', 'syntax error'],
    ['duplicate-key.yaml', ':6:1', 'duplicate key "title"'],
    ['empty.yaml', ':1:1', 'the file is empty'],
    ['binary.yaml', ':1:1', 'is not a text file'],
    ['top-level-array.json', ':1:1', 'expected a mapping at the top level'],
    ['unknown-version.yaml', ':1:10', 'expected "rift/v1", got "rift/v2"'],
    ['missing-title.yaml', ':1:1', 'missing required field "title"'],
    ['wrong-types.yaml', ':3:7', 'expected a list, got "gameday"'],
    ['unknown-keys.yaml', ':2:1', 'Did you mean "title"?'],
    ['durations.yaml', ':7:11', 'a duration cannot be negative'],
    ['fault-kinds.yaml', ':7:12', 'Did you mean "region-outage"?'],
    ['step-forms.yaml', ':7:5', 'Did you mean "wait"?'],
    ['references.yaml', ':12:13', 'unknown region "eu-wset"'],
    ['slos.yaml', ':9:3', 'unknown SLO "failovertime"'],
    ['many-problems.yaml', ':5:9', 'unknown driver "simm"'],
  ])('refuses %s: exit 2, a located message, no stack trace', (name, position, fragment) => {
    const {status, stderr, stdout} = rift('validate', invalid(name))
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(`${name}${position}`)
    expect(stderr).toContain(fragment)
    expect(stderr).toContain('RIFT_EXPERIMENT_INVALID')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('refuses a 10 MB file and 10,000 nested brackets quickly, without a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rift-e2e-'))
    try {
      await writeFile(join(dir, 'huge.yaml'), 'x'.repeat(10 * 1024 * 1024))
      await writeFile(join(dir, 'deep.yaml'), '{'.repeat(10_000))
      for (const [file, fragment] of [['huge.yaml', '10.0 MiB'], ['deep.yaml', 'nested more than 64 levels deep']] as const) {
        const started = performance.now()
        const {status, stderr} = rift('validate', join(dir, file))
        expect(status, file).toBe(2)
        expect(stderr).toContain(fragment)
        expect(stderr).not.toMatch(/^\s+at /m)
        expect(performance.now() - started).toBeLessThan(5000)
      }
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })

  it('under --json prints only the error envelope on stdout, with every issue', () => {
    const {status, stdout} = rift('validate', invalid('many-problems.yaml'), '--json')
    expect(status).toBe(2)
    const envelope = JSON.parse(stdout) as {error: {code: string; details: {file: string; issues: {line: number; path: string}[]}}; status: number}
    expect(envelope).toMatchObject({error: {code: 'RIFT_EXPERIMENT_INVALID', details: {file: invalid('many-problems.yaml')}}, status: 2})
    expect(envelope.error.details.issues.map((issue) => `${issue.line} ${issue.path}`)).toEqual([
      '5 driver',
      '7 method[0].wiat',
      '9 method[1].region',
      '10 method[1].duration',
      '11 method[2].fault',
      '16 slos.availabilty',
      '17 slos.dataLoss',
      '18 colour',
    ])
  })

  it('a missing file exits 2 with RIFT_FILE_NOT_FOUND', () => {
    const {status, stdout} = rift('validate', invalid('no-such-file.yaml'), '--json')
    expect(status).toBe(2)
    expect(JSON.parse(stdout)).toMatchObject({error: {code: 'RIFT_FILE_NOT_FOUND'}, status: 2})
  })

  it('has help with a description and examples', () => {
    const {status, stdout} = rift('validate', '--help')
    expect(status).toBe(0)
    expect(stdout).toContain('Reports every problem at once')
    expect(stdout).toContain('$ rift validate experiments/region-outage-memory.yaml')
  })
})
