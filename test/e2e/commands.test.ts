import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT, rift, STACK_FRAME, workspace} from './cli.js'

const EXAMPLE = 'experiments/region-outage-memory.yaml'
const COMMANDS = ['validate', 'plan', 'run', 'rollback', 'drivers', 'init']

describe('the CLI surface', () => {
  it('prints its version from package.json', async () => {
    const result = await rift(['--version'], ROOT)
    expect(result.code).toBe(0)
    const {version} = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string}
    expect(result.stdout).toContain(`rift/${version}`)
  })

  it.each(COMMANDS)('%s --help has a description, examples and the --json flag', async (command) => {
    const result = await rift([command, '--help'], ROOT)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('EXAMPLES')
    expect(result.stdout).toContain('--json')
  })

  it('plan shows the concrete actions and changes nothing', async () => {
    const cwd = await workspace(EXAMPLE)
    const result = await rift(['plan', 'region-outage-memory.yaml'], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('f1 region-outage via memory')
    expect(result.stdout).toContain('rift-preview-f1')
    expect(existsSync(path.join(cwd, '.rift'))).toBe(false)
  })

  it('plan --json is deterministic for the same run id', async () => {
    const cwd = await workspace(EXAMPLE)
    const first = await rift(['plan', 'region-outage-memory.yaml', '--json', '--run-id', 'r1'], cwd)
    const second = await rift(['plan', 'region-outage-memory.yaml', '--json', '--run-id', 'r1'], cwd)
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toEqual(JSON.parse(second.stdout))
    expect(JSON.parse(first.stdout).steps.find((s: {type: string}) => s.type === 'fault')).toMatchObject({driver: 'memory', faultId: 'f1', kind: 'region-outage'})
  })

  it('drivers --json lists the memory driver with its faults, actions and probes', async () => {
    const result = await rift(['drivers', '--json'], ROOT)
    expect(result.code).toBe(0)
    const memory = (JSON.parse(result.stdout) as {drivers: {name: string}[]}).drivers.find((driver) => driver.name === 'memory')
    expect(memory).toMatchObject({capabilities: {resumableRevert: true}, probes: expect.arrayContaining(['memory.reachable']), source: {type: 'builtin'}})
  })

  it('init writes an experiment that validates and plans; a second init refuses to overwrite (exit 2)', async () => {
    const cwd = await workspace()
    const created = await rift(['init', 'mine.yaml'], cwd)
    expect(created.code).toBe(0)
    expect((await rift(['validate', 'mine.yaml'], cwd)).code).toBe(0)
    expect((await rift(['plan', 'mine.yaml'], cwd)).code).toBe(0)
    const again = await rift(['init', 'mine.yaml', '--json'], cwd)
    expect(again.code).toBe(2)
    expect(JSON.parse(again.stdout).error.code).toBe('RIFT_FILE_EXISTS')
  })

  it('rollback with no runs says there is nothing to do', async () => {
    const cwd = await workspace()
    const result = await rift(['rollback'], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('nothing to roll back')
  })

  it('rollback --run with an unknown id exits 2 and names the run', async () => {
    const cwd = await workspace()
    const result = await rift(['rollback', '--run', 'nope'], cwd)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('No run "nope"')
    expect(result.stderr).toContain('RIFT_RUN_NOT_FOUND')
    expect(result.stderr).not.toMatch(STACK_FRAME)
  })
})
