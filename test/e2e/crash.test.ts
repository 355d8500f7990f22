import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {rift, start, STACK_FRAME, until, workspace} from './cli.js'

/** A fault held for long enough that the test decides when the run ends. */
const LONG_OUTAGE = `version: rift/v1
title: a long us-east outage
topology:
  regions: [us-east, eu-west]
driver: memory
method:
  - fault: region-outage
    region: us-east
    duration: 60s
  - wait: 10ms
`

function fabricEntries(cwd: string): string[] {
  const file = path.join(cwd, '.rift', 'memory-fabric.json')
  if (!existsSync(file)) return []
  return Object.keys((JSON.parse(readFileSync(file, 'utf8')) as {entries: object}).entries)
}

function ledgerOf(cwd: string): string {
  const runs = path.join(cwd, '.rift', 'runs')
  const [runId] = existsSync(runs) ? readdirSync(runs) : []
  // The run folder appears a moment before its ledger file: poll until both exist.
  const file = runId ? path.join(runs, runId, 'ledger.jsonl') : ''
  return file && existsSync(file) ? readFileSync(file, 'utf8') : ''
}

async function startLongRun(args: string[] = []) {
  const cwd = await workspace()
  await writeFile(path.join(cwd, 'long.yaml'), LONG_OUTAGE)
  const run = start(['run', 'long.yaml', ...args], cwd)
  await until(() => ledgerOf(cwd).includes('"type":"injected"'), 'the fault to be injected')
  expect(fabricEntries(cwd)).toHaveLength(1)
  return {cwd, run}
}

describe('crash safety', () => {
  it('after kill -9 while a fault is held, rift rollback reverts it; a second rollback finds nothing', async () => {
    const {cwd, run} = await startLongRun()
    run.child.kill('SIGKILL')
    const killed = await run.done
    expect(killed.signal).toBe('SIGKILL')
    expect(fabricEntries(cwd)).toHaveLength(1) // the fault outlived its runner

    const first = await rift(['rollback'], cwd)
    expect(first.stderr).not.toMatch(STACK_FRAME)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/f1 region-outage on .*: reverted/)
    expect(fabricEntries(cwd)).toEqual([])

    const second = await rift(['rollback', '--json'], cwd)
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({nothingToDo: true})
    const third = await rift(['rollback'], cwd)
    expect(third.stdout).toContain('Nothing to roll back')
  })

  it('refuses to roll back a run that is still in progress (exit 2), unless forced', async () => {
    const {cwd, run} = await startLongRun()
    const refused = await rift(['rollback', '--json'], cwd)
    expect(refused.code).toBe(2)
    expect(JSON.parse(refused.stdout).error.code).toBe('RIFT_RUN_IN_PROGRESS')
    expect(fabricEntries(cwd)).toHaveLength(1)
    run.child.kill('SIGKILL')
    await run.done
  })

  it('on SIGINT stops the method, reverts the held fault and exits 130', async () => {
    const {cwd, run} = await startLongRun()
    run.child.kill('SIGINT')
    const result = await run.done
    expect(result.code).toBe(130)
    expect(result.stderr).toMatch(/revert f1 region-outage .*: reverted/)
    expect(fabricEntries(cwd)).toEqual([])
  })

  it('on SIGTERM does the same', async () => {
    const {cwd, run} = await startLongRun(['--json'])
    run.child.kill('SIGTERM')
    const result = await run.done
    expect(result.code).toBe(130)
    expect(JSON.parse(result.stdout)).toMatchObject({faults: [{revert: 'reverted'}], verdict: 'interrupted'})
    expect(fabricEntries(cwd)).toEqual([])
  })

  it('on a second SIGINT during the rollback, leaves at once, names what is held and the command to finish', async () => {
    const {cwd, run} = await startLongRun()
    // Hold the fabric's lock as a live process would, so the first rollback waits on it.
    const lock = path.join(cwd, '.rift', 'memory-fabric.json.lock')
    await writeFile(lock, JSON.stringify({acquiredAt: new Date().toISOString(), host: (await import('node:os')).hostname(), pid: process.pid, token: 'test'}))
    run.child.kill('SIGINT')
    await until(() => run.output().stderr.includes('SIGINT: stopping'), 'the first signal to be handled')
    await new Promise((resolve) => setTimeout(resolve, 200))
    run.child.kill('SIGINT')
    const result = await run.done
    expect(result.code).toBe(6)
    const runId = readdirSync(path.join(cwd, '.rift', 'runs'))[0]
    expect(result.stderr).toContain('f1 region-outage')
    expect(result.stderr).toContain(`Finish with: rift rollback --run ${runId}`)
    expect(fabricEntries(cwd)).toHaveLength(1)

    await rm(lock)
    const finish = await rift(['rollback', '--run', runId!], cwd)
    expect(finish.code).toBe(0)
    expect(fabricEntries(cwd)).toEqual([])
  })
})
