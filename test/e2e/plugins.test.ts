/**
 * Drivers from oclif plugins, through the built CLI: `rift plugins link <dir>` makes a plugin's driver show in
 * `rift drivers` (with its source and version) and usable by `rift run`; a broken plugin is reported, not fatal.
 * Each test links into a data folder of its own (RIFT_DATA_DIR), never the user's.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ROOT, readJson, rift, start, until, workspace} from './cli.js'

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'plugins')
let home: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'rift-plugins-'))
  env = {RIFT_CACHE_DIR: path.join(home, 'cache'), RIFT_DATA_DIR: path.join(home, 'data')}
  for (const plugin of [path.join(FIXTURES, 'flag-driver'), path.join(FIXTURES, 'broken-plugin'), path.join(ROOT, 'plugins', 'netem')]) {
    const linked = await rift(['plugins', 'link', plugin, '--no-install'], ROOT, env)
    expect(linked.code, linked.stderr).toBe(0)
  }
})
afterAll(async () => {
  await rm(home, {force: true, recursive: true})
})

describe('driver plugins', () => {
  it('rift drivers lists a linked plugin driver with its source and version, and the broken plugin as a problem', async () => {
    const result = await rift(['drivers', '--json'], ROOT, env)
    expect(result.code, result.stderr).toBe(0)
    const listing = JSON.parse(result.stdout) as {drivers: {name: string; source: unknown; version: string}[]; problems: {message: string; plugin: string}[]; sdkVersion: string}
    expect(listing.drivers.find((driver) => driver.name === 'flag')).toMatchObject({
      faults: ['region-outage'],
      fidelity: ['a test fixture: nothing but its own probe sees a fault'],
      probes: ['flag.down'],
      sdkVersion: '1.0.0',
      source: {plugin: 'rift-driver-flag', type: 'plugin'},
      version: '1.2.3',
    })
    expect(listing.drivers.find((driver) => driver.name === 'memory')).toMatchObject({source: {type: 'builtin'}, version: '0.1.0'})
    // The netem plugin, built by `npm run build` into plugins/netem/dist, bundles the SDK it was built with.
    expect(listing.drivers.find((driver) => driver.name === 'netem')).toMatchObject({
      actions: ['netem.loss'],
      faults: ['region-outage', 'latency', 'partition', 'bandwidth'],
      sdkVersion: '1.0.0',
      source: {plugin: 'rift-driver-netem', type: 'plugin'},
      version: '0.1.0',
    })
    expect(listing.problems).toEqual([expect.objectContaining({message: expect.stringContaining('connect is not a function'), plugin: 'rift-driver-broken'})])

    const human = await rift(['drivers'], ROOT, env)
    expect(human.stdout).toContain('flag 1.2.3 (plugin rift-driver-flag)')
    expect(human.stdout).toContain('could not load driver Broken_Driver of plugin rift-driver-broken')
  })

  it('rift run uses the plugin driver: the fault lands, its probe sees it, and it is reverted', async () => {
    const cwd = await workspace('test/fixtures/plugins/flag-driver/experiment.yaml')
    const result = await rift(['run', 'experiment.yaml', '--json'], cwd, env)
    expect(result.code, result.stderr).toBe(0)
    const journal = JSON.parse(result.stdout) as {paths: {journal: string}; verdict: string}
    expect(journal.verdict).toBe('passed')
    const written = await readJson<{faults: {injected: {landed: boolean}; revert: {outcome: string}}[]}>(journal.paths.journal)
    expect(JSON.stringify(written.faults)).toContain('"landed":true')
    expect((await rift(['rollback'], cwd, env)).stdout).toContain('Nothing to roll back')
  })

  it('after kill -9 mid-fault, rift rollback reverts the plugin driver\'s fault from the ledger', async () => {
    const cwd = await workspace()
    const experiment = readFileSync(path.join(FIXTURES, 'flag-driver', 'experiment.yaml'), 'utf8').replace('duration: 300ms', 'duration: 60s')
    await writeFile(path.join(cwd, 'long.yaml'), experiment)
    const flag = path.join(cwd, '.rift', 'flags', 'us-east.down')
    const run = start(['run', 'long.yaml'], cwd, env)
    const ledger = () => {
      const runs = path.join(cwd, '.rift', 'runs')
      const [runId] = existsSync(runs) ? readdirSync(runs) : []
      const file = runId ? path.join(runs, runId, 'ledger.jsonl') : ''
      return file && existsSync(file) ? readFileSync(file, 'utf8') : ''
    }
    await until(() => ledger().includes('"type":"injected"'), 'the plugin fault to be injected')
    run.child.kill('SIGKILL')
    await run.done
    expect(existsSync(flag)).toBe(true) // the fault outlived its runner

    const rollback = await rift(['rollback'], cwd, env)
    expect(rollback.code, rollback.stderr).toBe(0)
    expect(rollback.stdout).toMatch(/f1 region-outage on us-east \(flag\): reverted/)
    expect(existsSync(flag)).toBe(false)
  })

  it('without the plugin, the driver is unknown and the error says how to get plugin drivers', async () => {
    const cwd = await workspace('test/fixtures/plugins/flag-driver/experiment.yaml')
    const result = await rift(['validate', 'experiment.yaml'], cwd, {RIFT_DATA_DIR: path.join(home, 'empty')})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown driver "flag"')
  })
})
