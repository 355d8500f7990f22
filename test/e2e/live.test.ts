/**
 * The terminal live view and game days, through a real pseudo-terminal; and the plain lines and --json
 * output off a terminal, which must carry no control characters.
 */
import {existsSync, readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {readJson, rift, ROOT, workspace} from './cli.js'
import {inPty} from './pty.js'

const FLAGSHIP = path.join(ROOT, 'experiments', 'sandbox', 'active-passive-outage.yaml')
const MEMORY = 'experiments/region-outage-memory.yaml'
const GAMEDAY = 'test/fixtures/experiments/gameday-two-faults.yaml'
const ESC = '\u001b'
// Everything but newline (and the carriage return a pty adds to it).
// eslint-disable-next-line no-control-regex -- control characters are what these tests look for
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/
// eslint-disable-next-line no-control-regex -- the live view's redraw: cursor up over the last frame, clear below
const REDRAW = /\u001b\[\d+F\u001b\[J/g

function onlyRun(cwd: string): string {
  const runs = readdirSync(path.join(cwd, '.rift', 'runs'))
  expect(runs).toHaveLength(1)
  return path.join(cwd, '.rift', 'runs', runs[0]!, 'journal.json')
}

describe('on a terminal', () => {
  it('rift run draws the live view in place — phase, fault countdown, probes, sparklines, ledger — then the SLO table and verdict', async () => {
    const cwd = await workspace()
    const run = inPty(['run', FLAGSHIP], cwd)
    const {code, output} = await run.done
    // The verdict is the experiment's business (a loaded machine can fail its SLOs); the view must tell it.
    const journal = await readJson(onlyRun(cwd))
    expect(code).toBe(journal.exitCode)
    // Many frames, each replacing the last in place.
    expect(output.match(REDRAW)?.length ?? 0).toBeGreaterThan(10)
    // eslint-disable-next-line no-control-regex -- colour codes, taken out to read the text
    const frames = output.split(REDRAW).map((frame) => frame.replace(/\u001b\[[0-9;]*m/g, ''))
    const during = frames.find((frame) => /f1 region-outage {2}\[#*-*\] [\d.]+m?s left/.test(frame) && frame.includes(' method '))
    expect(during, 'a frame while the outage is held').toBeDefined()
    expect(during).toMatch(/faults \(1 of 1 injected\)/)
    expect(during).toMatch(/f1 region-outage {2}\[#*-*\] [\d.]+m?s left {2}landed {2}on links client-us-east/)
    expect(during).toMatch(/prober {2}GET http:\/\/127\.0\.0\.1:\d+\/region\/health every 20ms · \d+ probes/)
    expect(during).toMatch(/ {2}success {3}.*[▁▂▃▄▅▆▇█×].* ok, last/)
    expect(during).toMatch(/ {2}latency {3}.*[▁▂▃▄▅▆▇█].* p50 /)
    expect(during).toMatch(/ledger {2}\d+ writes sent · \d+ acked/)
    expect(during).toMatch(/guardrail \d+m\d+s left/)
    // Events stay above the panel; the end is the SLO table and the verdict, with the cursor given back.
    expect(output).toMatch(/\+\d+\.\ds inject f1 region-outage .*: landed/)
    const end = frames.at(-1)!
    expect(end).toMatch(/SLO.*objective.*observed.*samples.*status/)
    const slo = journal.slos.find((candidate: {name: string}) => candidate.name === 'failoverTime')
    expect(end).toMatch(new RegExp(`failoverTime +<= 5s +\\S+ +${slo.samples} +${slo.status}`))
    expect(end).toContain(`verdict: ${journal.verdict.toUpperCase()} (exit ${journal.exitCode})`)
    expect(output).toContain(`${ESC}[?25h`)
  }, 60_000)

  it('--no-live and RIFT_NO_LIVE=1 give plain lines even on a terminal', async () => {
    for (const [args, env] of [[['--no-live'], {}], [[], {RIFT_NO_LIVE: '1'}]] as const) {
      const cwd = await workspace(MEMORY)
      const {code, output} = await inPty(['run', 'region-outage-memory.yaml', ...args], cwd, {env}).done
      expect(code).toBe(0)
      expect(output).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z run \d{8}-\d{6}-[0-9a-f]{4}: /m)
      expect(output.replaceAll('\r\n', '\n')).not.toMatch(CONTROL)
    }
  }, 60_000)

  it('--json on a terminal: stdout holds the journal and nothing else, and nothing is drawn', async () => {
    const cwd = await workspace(MEMORY)
    const {code, output} = await inPty(['run', 'region-outage-memory.yaml', '--json'], cwd, {shellTail: ' > out.json'}).done
    expect(code).toBe(0)
    expect(output).toBe('')
    const stdout = await readFile(path.join(cwd, 'out.json'), 'utf8')
    expect(JSON.parse(stdout)).toEqual(await readJson(onlyRun(cwd)))
  }, 60_000)
})

describe('rift run --gameday', () => {
  it('asks before each fault, takes notes onto the timeline, skips on s, and restores the screen', async () => {
    const cwd = await workspace(GAMEDAY)
    const run = inPty(['run', 'gameday-two-faults.yaml', '--gameday'], cwd)
    await run.waitFor('Next: f1 region-outage')
    // Nothing is injected while the operator thinks.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(run.output()).not.toContain('inject f1 region-outage on region us-east: landed')
    run.type('nthe router has not noticed yet\r')
    await run.waitFor('note: the router has not noticed yet')
    run.type('y')
    await run.waitFor('Next: f2 latency')
    run.type('s')
    const {code, output} = await run.done
    expect(code).toBe(7)
    expect(output).toContain(`${ESC}[?1049h`) // the alternate screen, entered …
    expect(output.lastIndexOf(`${ESC}[?1049l`)).toBeGreaterThan(output.lastIndexOf(`${ESC}[?1049h`)) // … and left
    expect(output).toMatch(/y inject · s skip · a abort and roll back · n note/)
    expect(output).toMatch(/verdict: .*INCONCLUSIVE.* \(exit 7\)/)
    const journal = await readJson(onlyRun(cwd))
    expect(journal.verdict).toBe('inconclusive')
    expect(journal.faults.map((fault: {id: string; revert: string}) => [fault.id, fault.revert])).toEqual([['f1', 'reverted']])
    const events = journal.timeline.map((event: {event: string; detail: string}) => [event.event, event.detail])
    expect(events).toContainEqual(['note', 'the router has not noticed yet'])
    expect(events.find(([event]: string[]) => event === 'fault:skipped')?.[1]).toMatch(/^f2 latency .*skipped by the operator/)
  }, 60_000)

  it('a aborts: the held fault is reverted and the run is interrupted (exit 130)', async () => {
    const cwd = await workspace(GAMEDAY)
    const run = inPty(['run', 'gameday-two-faults.yaml', '--gameday'], cwd)
    await run.waitFor('Next: f1 region-outage')
    run.type('y')
    await run.waitFor('Next: f2 latency')
    run.type('a')
    const {code} = await run.done
    expect(code).toBe(130)
    const journal = await readJson(onlyRun(cwd))
    expect(journal.reason).toMatch(/the operator aborted the method before fault f2/)
    expect(journal.faults).toMatchObject([{id: 'f1', revert: 'reverted'}])
  }, 60_000)

  it('Ctrl-C at the prompt halts and rolls back as always', async () => {
    const cwd = await workspace(GAMEDAY)
    const run = inPty(['run', 'gameday-two-faults.yaml', '--gameday'], cwd)
    await run.waitFor('Next: f1 region-outage')
    run.type('y')
    await run.waitFor('Next: f2 latency')
    run.type('\u0003')
    const {code, output} = await run.done
    expect(code).toBe(130)
    expect(output).toContain('SIGINT: stopping the method and reverting every fault')
    const journal = await readJson(onlyRun(cwd))
    expect(journal).toMatchObject({faults: [{id: 'f1', revert: 'reverted'}], verdict: 'interrupted'})
  }, 60_000)

  it('without a terminal is a clear usage error, and nothing runs', async () => {
    const cwd = await workspace(GAMEDAY)
    const result = await rift(['run', 'gameday-two-faults.yaml', '--gameday'], cwd)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--gameday needs an interactive terminal')
    expect(existsSync(path.join(cwd, '.rift', 'runs'))).toBe(false)
  })
})

describe('off a terminal', () => {
  it('a sandbox run with workloads prints plain timestamped lines with no control characters', async () => {
    const cwd = await workspace()
    const result = await rift(['run', FLAGSHIP], cwd, {NO_COLOR: ''})
    expect(result.code).toBe((await readJson(onlyRun(cwd))).exitCode)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines.length).toBeGreaterThan(10)
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /)
    expect(result.stderr).not.toMatch(CONTROL)
    expect(result.stdout).not.toMatch(CONTROL)
    expect(result.stderr).toMatch(/SLO failoverTime <= 5s: (pass|fail|inconclusive) \(observed /)
  }, 60_000)
})
