/**
 * The netem plugin through the built CLI, as root: `rift plugins link plugins/netem`, then `rift run` of an
 * experiment whose probes run inside the lab. The lab is created when the driver connects and removed after.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {ROOT, rift} from '../../../test/e2e/cli.js'
import {isRoot, labNamespaces, NET_TOOL, uniqueLab} from './helpers.js'

const lab = uniqueLab('r')
const dirs: string[] = []

afterAll(async () => {
  for (const dir of dirs) await rm(dir, {force: true, recursive: true})
})

/** us-east's view of eu-west's port 7001, where nothing listens: refused when packets flow, a timeout when dropped. */
const probe = (name: string, expect: string) => ({
  command: {expect: {stdoutContains: expect}, run: ['ip', 'netns', 'exec', `rift-${lab}-us-east`, process.execPath, NET_TOOL, 'tcp-fetch', '198.18.0.3', '7001', '1000']},
  name,
})

describe.skipIf(!isRoot)('rift run with the netem plugin (root)', () => {
  it('a partition drops us-east→eu-west SYNs during the fault, the run passes, and no namespace is left', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'rift-netem-cli-'))
    dirs.push(home)
    const env = {RIFT_CACHE_DIR: path.join(home, 'cache'), RIFT_DATA_DIR: path.join(home, 'data')}
    const linked = await rift(['plugins', 'link', path.join(ROOT, 'plugins', 'netem'), '--no-install'], ROOT, env)
    expect(linked.code, linked.stderr).toBe(0)

    const experiment = {
      driver: {netem: {lab}},
      method: [
        {background: true, direction: 'one-way', duration: '3s', fault: 'partition', from: 'us-east', to: 'eu-west'},
        probe('SYNs are dropped during the partition', '"error":"timeout"'),
        {wait: '3s'},
      ],
      steadyState: [probe('us-east reaches eu-west (refused: the packets arrive)', 'ECONNREFUSED')],
      title: 'a netem partition drops the TCP handshake, and the path recovers',
      topology: {regions: ['us-east', 'eu-west']},
      version: 'rift/v1',
    }
    await writeFile(path.join(home, 'netem.json'), JSON.stringify(experiment, null, 2))
    const result = await rift(['run', 'netem.json', '--json'], home, env)
    expect(result.code, result.stderr).toBe(0)
    expect((JSON.parse(result.stdout) as {verdict: string}).verdict).toBe('passed')
    expect(labNamespaces(lab)).toEqual([])
  }, 120_000)
})
