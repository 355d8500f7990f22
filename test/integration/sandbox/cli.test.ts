/**
 * `rift sandbox up` as a process: the command class from src (run through tsx, so no build is needed),
 * with oclif's own error handling, as bin/run.js would run it.
 */
import {spawn} from 'node:child_process'
import {connect} from 'node:net'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import type {SandboxInfo} from '../../../src/sandbox/index.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SCRIPT = "import {handle} from '@oclif/core'; const {default: C} = await import('./src/commands/sandbox/up.ts'); await C.run(process.argv.slice(1), process.cwd()).catch(handle)"

function up(args: string[]): {done: Promise<{code: number | null; stderr: string; stdout: string}>; kill(signal: NodeJS.Signals): void; line: Promise<string>} {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}})
  let stdout = ''
  let stderr = ''
  let resolveLine: (line: string) => void = () => {}
  const line = new Promise<string>((resolve) => (resolveLine = resolve))
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    if (stdout.includes('\n')) resolveLine(stdout.slice(0, stdout.indexOf('\n')))
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<{code: number | null; stderr: string; stdout: string}>((resolve) => child.on('close', (code) => resolve({code, stderr, stdout})))
  return {done, kill: (signal) => child.kill(signal), line}
}

const refused = (address: string): Promise<boolean> =>
  new Promise((resolve) => {
    const url = new URL(address.includes('://') ? address : `tcp://${address}`)
    const socket = connect({host: url.hostname, port: Number(url.port)})
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

describe('rift sandbox up', () => {
  it('prints one JSON line with the endpoints and links, serves, and stops cleanly on SIGINT (exit 0)', async () => {
    const cli = up(['--pattern', 'active-passive', '--replication', 'sync', '--json'])
    const info = JSON.parse(await cli.line) as SandboxInfo
    expect(info).toMatchObject({pattern: 'active-passive', replication: 'sync', topology: {regions: ['us-east', 'eu-west']}})
    expect(info).not.toHaveProperty('stop')
    const res = await fetch(`${info.routerUrl}/kv/hello`, {body: 'world', method: 'PUT'})
    expect(res.status).toBe(200)
    expect(res.headers.get('x-rift-region')).toBe('us-east')
    cli.kill('SIGINT')
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    for (const address of [info.routerUrl, info.proxyUrl, ...info.topology.links.map((link) => link.listen)]) expect(await refused(address)).toBe(true)
  })

  it('prints the router, regions and links for people, and stops on SIGTERM', async () => {
    const cli = up(['--pattern', 'sharded', '--regions', '3'])
    expect(await cli.line).toMatch(/^rift sandbox: sharded, no replication, 3 regions$/)
    cli.kill('SIGTERM')
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^router {2}http:\/\/127\.0\.0\.1:\d+/m)
    expect(result.stdout).toMatch(/^ {2}client-ap-south +clients → ap-south +127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+$/m)
    expect(result.stderr).toContain('SIGTERM: stopping the sandbox')
  })

  it('refuses bad flags with exit 2', async () => {
    const result = await up(['--pattern', 'sharded', '--replication', 'sync']).done
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Code: RIFT_USAGE')
    expect((await up(['--pattern', 'mesh']).done).code).toBe(2)
  })
})
