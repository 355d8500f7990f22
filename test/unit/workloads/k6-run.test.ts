import {chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {findK6, runK6, runK6Workload, type K6RunOptions} from '../../../src/workloads/k6/index.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/k6')
const nodeDir = path.dirname(process.execPath)
const START = Date.parse('2026-08-21T10:00:00Z')
const WINDOWS = [
  {endMs: 5000, name: 'baseline', startMs: 0},
  {endMs: 10_000, name: 'fault', startMs: 5000},
  {endMs: 15_000, name: 'recovery', startMs: 10_000},
]

let root: string
let binDir: string
let k6: string
let script: string
let runs = 0

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'rift-k6-'))
  binDir = path.join(root, 'bin')
  await mkdir(binDir)
  k6 = path.join(binDir, 'k6')
  await copyFile(path.join(fixtures, 'fake-k6.mjs'), k6)
  await chmod(k6, 0o755)
  script = path.join(root, 'load.js')
  await writeFile(script, 'export default function () {}\n')
})

afterAll(async () => {
  await rm(root, {force: true, recursive: true})
})

/** A fresh output dir and record file per run; `fake` drives the fake k6 (see test/fixtures/k6/fake-k6.mjs). */
function setup(fake: Record<string, string>, options: Partial<K6RunOptions> = {}) {
  const dir = path.join(root, `run-${++runs}`)
  const record = path.join(root, `record-${runs}.json`)
  const env: NodeJS.ProcessEnv = {...process.env, FAKE_K6_RECORD: record, PATH: `${binDir}${path.delimiter}${nodeDir}`, ...fake}
  delete env.K6_BIN
  const run = {bin: k6, dir, env, runStartWallMs: START, script, windows: WINDOWS, ...options}
  const recorded = async () => JSON.parse(await readFile(record, 'utf8')) as {argv: string[]; cwd: string; env: Record<string, string>}
  return {dir, recorded, run}
}

const summary = (name: string) => path.join(fixtures, name)
const NDJSON = path.join(fixtures, 'metrics.ndjson')

describe('finding k6', () => {
  it('uses K6_BIN first, then PATH', async () => {
    expect(await findK6({K6_BIN: k6, PATH: ''})).toEqual({bin: k6, found: true, source: 'K6_BIN'})
    expect(await findK6({PATH: `${path.join(root, 'nothing')}${path.delimiter}${binDir}`})).toEqual({bin: k6, found: true, source: 'PATH'})
  })

  it('says clearly that k6 is absent and that the built-in generator runs instead', async () => {
    const absent = await findK6({PATH: ''})
    expect(absent).toMatchObject({found: false})
    expect(!absent.found && absent.message).toBe(
      'k6 not found (K6_BIN is not set and PATH is empty); rift will run its built-in load generator instead. Install k6 or set K6_BIN to run the workload\'s k6 script.',
    )
    const notOnPath = await findK6({PATH: nodeDir})
    expect(!notOnPath.found && notOnPath.message).toContain('there is no k6 on PATH); rift will run its built-in load generator instead')
    const badBin = await findK6({K6_BIN: path.join(root, 'missing-k6'), PATH: binDir})
    expect(!badBin.found && badBin.message).toContain(`K6_BIN is set to ${path.join(root, 'missing-k6')}, but no such file exists`)
    const notExecutable = await findK6({K6_BIN: script})
    expect(!notExecutable.found && notExecutable.message).toContain('but it is not executable')
  })

  it('runK6Workload skips with the message when k6 is absent, and starts nothing', async () => {
    const {dir, run} = setup({})
    const {bin: _bin, ...options} = run
    const result = await runK6Workload({...options, env: {PATH: ''}})
    expect(result).toEqual({message: expect.stringContaining('rift will run its built-in load generator instead'), reason: expect.any(String), status: 'skipped'})
    await expect(readFile(path.join(dir, 'k6-summary.json'))).rejects.toThrow()
  })

  it('runK6Workload runs the k6 found on PATH', async () => {
    const {run} = setup({FAKE_K6_NDJSON: NDJSON, FAKE_K6_SUMMARY: summary('summary-pass.json')})
    const {bin: _bin, ...options} = run
    const result = await runK6Workload(options)
    expect(result.status).toBe('ran')
    if (result.status === 'ran') expect(result).toMatchObject({result: {outcome: {exitCode: 0, kind: 'ok'}}, source: 'PATH'})
  })
})

describe('running k6', () => {
  it('passes the script, -e values, output files and tag as argv, with no shell', async () => {
    const vars = {RIFT_ROUTER_URL: 'http://127.0.0.1:8080', RIFT_US_EAST_URL: 'http://127.0.0.1:7001', TRICKY: '$(id); `x` "a b"'}
    const {dir, recorded, run} = setup({}, {runId: 'r-123', vars})
    const result = await runK6(run)
    const {argv, cwd, env} = await recorded()
    expect(argv).toEqual([
      'run',
      '--quiet',
      '--no-color',
      '--log-format=json',
      '--summary-export',
      path.join(dir, 'k6-summary.json'),
      '--out',
      `json=${path.join(dir, 'k6-metrics.ndjson')}`,
      '--tag',
      'run_id=r-123',
      '-e',
      'RIFT_ROUTER_URL=http://127.0.0.1:8080',
      '-e',
      'RIFT_US_EAST_URL=http://127.0.0.1:7001',
      '-e',
      'TRICKY=$(id); `x` "a b"',
      script,
    ])
    expect(result.argv).toEqual([k6, ...argv])
    expect(cwd).toBe(dir)
    expect(env).toMatchObject({K6_NEW_MACHINE_READABLE_SUMMARY: 'false', K6_NO_USAGE_REPORT: 'true'})
    expect(result.files).toEqual({metrics: path.join(dir, 'k6-metrics.ndjson'), summary: path.join(dir, 'k6-summary.json')})
  })

  it('refuses a -e name k6 would reject, before starting anything', async () => {
    const {run} = setup({}, {vars: {'BAD-NAME': 'x'}})
    await expect(runK6(run)).rejects.toThrow('k6 variable name "BAD-NAME" is invalid')
  })

  it('exit 0: reads the summary and the stream, thresholds pass, windows computed', async () => {
    const {run} = setup({FAKE_K6_NDJSON: NDJSON, FAKE_K6_STDERR: '{"level":"info","msg":"hello"}\n', FAKE_K6_STDOUT: 'done\n', FAKE_K6_SUMMARY: summary('summary-pass.json')})
    const result = await runK6(run)
    expect(result.outcome).toEqual({exitCode: 0, kind: 'ok', message: 'k6 exited 0 (Success): success', signal: null})
    expect(result.summaryError).toBeNull()
    expect(result.streamError).toBeNull()
    expect(result.summary?.model).toBe('default')
    expect(result.stdout).toEqual({text: 'done\n', totalBytes: 5, truncated: false})
    expect(result.stderr.text).toContain('"msg":"hello"')
    expect(result.windows.map((window) => [window.name, window.duration.count, window.failed.rate])).toEqual([
      ['baseline', 5, 0],
      ['fault', 5, 0.6],
      ['recovery', 2, 0],
    ])
    expect(result.slos.find((slo) => slo.name === 'k6 http_req_failed rate<0.01')).toMatchObject({samples: 13, status: 'pass'})
    expect(result.slos.some((slo) => slo.status === 'fail')).toBe(false)
  })

  it('exit 99: an SLO failure, not a tool error', async () => {
    const {run} = setup({FAKE_K6_EXIT: '99', FAKE_K6_NDJSON: NDJSON, FAKE_K6_SUMMARY: summary('summary-fail.json')})
    const result = await runK6(run)
    expect(result.outcome).toMatchObject({exitCode: 99, kind: 'thresholds-failed'})
    expect(result.slos.filter((slo) => slo.status === 'fail').map((slo) => slo.name)).toEqual([
      'k6 http_req_duration p(95)<500',
      'k6 http_req_duration{region:us-east} p(95)<300',
      'k6 http_req_failed rate<0.01',
    ])
  })

  it('exit 99 without a summary still fails the thresholds', async () => {
    const {run} = setup({FAKE_K6_EXIT: '99'})
    const result = await runK6(run)
    expect(result.summaryError).toContain('k6 wrote no summary')
    expect(result.streamError).toContain('k6 wrote no metrics stream')
    expect(result.slos).toEqual([expect.objectContaining({name: 'k6 thresholds', status: 'fail'})])
  })

  it.each([
    ['104', 'usage-error', 'k6 exited 104 (InvalidConfig): invalid configuration (options or threshold expressions)'],
    ['107', 'script-error', 'k6 exited 107 (ScriptException): the script threw an exception'],
    ['108', 'stopped', 'k6 exited 108 (ScriptAborted): the script called exec.test.abort()'],
    ['109', 'tool-error', 'k6 exited 109 (GoPanic): k6 crashed (Go panic)'],
    ['3', 'tool-error', 'k6 exited 3, which k6 does not document'],
  ])('exit %s: %s', async (code, kind, message) => {
    const {run} = setup({FAKE_K6_EXIT: code, FAKE_K6_STDERR: '{"level":"error","msg":"boom"}\n'})
    const result = await runK6(run)
    expect(result.outcome).toEqual({exitCode: Number(code), kind, message, signal: null})
    expect(result.stderr.text).toContain('boom')
    expect(result.slos).toEqual([])
  })

  it('a crash (killed by a signal) is a tool error, and a partial stream is still read', async () => {
    const {run} = setup({FAKE_K6_EXIT: 'SIGKILL', FAKE_K6_NDJSON: NDJSON})
    const result = await runK6(run)
    expect(result.outcome).toEqual({exitCode: null, kind: 'tool-error', message: 'k6 was killed by SIGKILL', signal: 'SIGKILL'})
    expect(result.stream?.malformedLines).toBe(1)
    expect(result.windows[1]!.duration.count).toBe(5)
  })

  it('a binary that cannot start is reported, not thrown', async () => {
    const {run} = setup({}, {bin: path.join(root, 'no-such-k6')})
    const result = await runK6(run)
    expect(result.outcome).toMatchObject({kind: 'not-found', message: `cannot start k6: ${path.join(root, 'no-such-k6')} does not exist`})
    expect(result.slos).toEqual([])
  })

  it('keeps only the tail of a large output', async () => {
    const {run} = setup({FAKE_K6_STDOUT: `${'x'.repeat(5000)}END`}, {outputLimitBytes: 100})
    const result = await runK6(run)
    expect(result.stdout).toMatchObject({totalBytes: 5003, truncated: true})
    expect(result.stdout.text).toHaveLength(100)
    expect(result.stdout.text.endsWith('END')).toBe(true)
  })
})

describe('stopping k6', () => {
  async function waitFor(file: string, text: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const content = await readFile(file, 'utf8').catch(() => '')
      if (content.includes(text)) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`${file} never contained ${text}`)
  }

  it('an abort sends SIGINT; k6 writes its summary and exits 105', async () => {
    const signals = path.join(root, `signals-${runs + 1}.txt`)
    const controller = new AbortController()
    const {run} = setup({FAKE_K6_SIGNALS: signals, FAKE_K6_SLEEP_MS: '20000', FAKE_K6_SUMMARY: summary('summary-fail.json')}, {signal: controller.signal})
    const started = Date.now()
    const pending = runK6(run)
    await waitFor(signals, 'ready')
    controller.abort()
    const result = await pending
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await readFile(signals, 'utf8')).toBe('ready\nSIGINT\n')
    expect(result.outcome).toMatchObject({exitCode: 105, kind: 'aborted', message: 'the run was aborted; k6 exited 105 (ExternalAbort): aborted by a signal (SIGINT/SIGTERM)'})
    expect(result.summary).not.toBeNull()
    expect(result.slos.some((slo) => slo.status === 'pass')).toBe(false)
  })

  it('SIGKILL follows when k6 ignores SIGINT past the grace period', async () => {
    const signals = path.join(root, `signals-${runs + 1}.txt`)
    const controller = new AbortController()
    const {run} = setup({FAKE_K6_IGNORE_SIGINT: '1', FAKE_K6_SIGNALS: signals, FAKE_K6_SLEEP_MS: '20000'}, {graceMs: 300, signal: controller.signal})
    const pending = runK6(run)
    await waitFor(signals, 'ready')
    controller.abort()
    const result = await pending
    expect(await readFile(signals, 'utf8')).toBe('ready\nSIGINT\n')
    expect(result.outcome).toMatchObject({exitCode: null, kind: 'aborted', signal: 'SIGKILL'})
  })

  it('the wall-clock limit stops k6 the same way', async () => {
    const {run} = setup({FAKE_K6_SLEEP_MS: '20000'}, {timeoutMs: 500})
    const result = await runK6(run)
    expect(result.outcome).toMatchObject({exitCode: 105, kind: 'aborted', message: expect.stringContaining('k6 ran past its 500ms limit')})
  })

  it('an already aborted signal starts nothing', async () => {
    const {dir, run} = setup({}, {signal: AbortSignal.abort()})
    const result = await runK6(run)
    expect(result.outcome).toMatchObject({kind: 'aborted', message: 'the run was aborted before k6 started'})
    expect(result.summaryError).toContain(dir)
  })
})
