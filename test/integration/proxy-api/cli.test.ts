/**
 * `rift proxy` as a user runs it (the built CLI: `npm run build` first): it prints its URL as one JSON line,
 * serves toxiproxy-node-client, closes everything and exits 0 on SIGINT; it refuses non-loopback binds and
 * bad config files with exit 2 and an error that names the problem.
 */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {Toxiproxy, type ICreateToxicBody} from 'toxiproxy-node-client'
import {describe, expect, it} from 'vitest'

import {rift, start, until, workspace} from '../../e2e/cli.js'
import {busyPort, connectOutcome, roundTrip, startEcho} from './helpers.js'

interface Listening {
  host: string
  port: number
  proxies: string[]
  url: string
  version: string
}

function listeningLine(stdout: string): Listening | undefined {
  const line = stdout.split('\n')[0] ?? ''
  return stdout.includes('\n') ? (JSON.parse(line) as Listening) : undefined
}

describe('rift proxy', () => {
  it('prints {"url"} as one JSON line, serves the API, and closes everything with exit 0 on SIGINT', async () => {
    const cwd = await workspace()
    const echo = await startEcho()
    const cli = start(['proxy', '--port', '0', '--json'], cwd)
    await until(() => listeningLine(cli.output().stdout) !== undefined, 'the listening line')
    const listening = listeningLine(cli.output().stdout)!
    expect(listening).toMatchObject({host: '127.0.0.1', proxies: []})
    expect(listening.url).toBe(`http://127.0.0.1:${listening.port}`)

    const client = new Toxiproxy(listening.url)
    expect(await client.getVersion()).toBe(`{"version": "${listening.version}"}\n`)
    const proxy = await client.createProxy({name: 'e2e', listen: '127.0.0.1:0', upstream: echo.address})
    await proxy.addToxic({type: 'latency', attributes: {latency: 50, jitter: 0}} as ICreateToxicBody<{latency: number; jitter: number}>)
    const trip = await roundTrip(proxy.listen, 'through the CLI')
    expect(trip.data).toBe('through the CLI')
    expect(trip.ms).toBeGreaterThanOrEqual(45)

    cli.child.kill('SIGINT')
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('SIGINT: closing every proxy and connection')
    expect(await connectOutcome(proxy.listen)).toBe('refused')
    expect(await connectOutcome(`127.0.0.1:${listening.port}`)).toBe('refused')
  })

  it('creates the proxies of --config at start, and exits 0 on SIGTERM', async () => {
    const cwd = await workspace()
    const echo = await startEcho()
    await writeFile(path.join(cwd, 'proxies.json'), JSON.stringify([{name: 'db', listen: '127.0.0.1:0', upstream: echo.address}]))
    const cli = start(['proxy', '--port', '0', '--json', '--config', 'proxies.json', '--metrics'], cwd)
    await until(() => listeningLine(cli.output().stdout) !== undefined, 'the listening line')
    const listening = listeningLine(cli.output().stdout)!
    expect(listening.proxies).toEqual(['db'])
    const db = await new Toxiproxy(listening.url).get('db')
    expect((await roundTrip(db.listen, 'cfg')).data).toBe('cfg')
    expect((await fetch(`${listening.url}/metrics`)).status).toBe(200)
    cli.child.kill('SIGTERM')
    expect((await cli.done).code).toBe(0)
  })

  it('refuses a non-loopback --host without --allow-non-loopback (exit 2)', async () => {
    const cwd = await workspace()
    const human = await rift(['proxy', '--host', '0.0.0.0', '--port', '0'], cwd)
    expect(human.code).toBe(2)
    expect(human.stderr).toContain('Refusing to serve the proxy API on "0.0.0.0"')
    expect(human.stderr).toContain('Code: RIFT_PROXY_UNSAFE_BIND')
    expect(human.stderr).toContain('--allow-non-loopback')
    const json = await rift(['proxy', '--host', '192.0.2.1', '--port', '0', '--json'], cwd)
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'RIFT_PROXY_UNSAFE_BIND', exitCode: 2}, status: 2})
  })

  it('warns when non-loopback binds are allowed', async () => {
    const cwd = await workspace()
    const cli = start(['proxy', '--port', '0', '--json', '--allow-non-loopback'], cwd)
    await until(() => listeningLine(cli.output().stdout) !== undefined, 'the listening line')
    expect(cli.output().stderr).toMatch(/^Warning: --allow-non-loopback: Proxies may listen on addresses other machines can reach/)
    cli.child.kill('SIGINT')
    expect((await cli.done).code).toBe(0)
  })

  it('names the file, line and column of a bad --config, and the port of a busy --port (exit 2)', async () => {
    const cwd = await workspace()
    await writeFile(path.join(cwd, 'broken.json'), '[\n  {"name": "a", "upstream": "u",}\n]\n')
    const broken = await rift(['proxy', '--port', '0', '--config', 'broken.json'], cwd)
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain("Error: broken.json:2:33: invalid character '}' looking for beginning of object key string")
    expect(broken.stderr).toContain('Code: RIFT_PROXY_CONFIG_INVALID')

    await writeFile(path.join(cwd, 'missing.json'), '[{"name": "a", "upstream": "u"}, {"name": "b"}]')
    const missing = await rift(['proxy', '--port', '0', '--config', 'missing.json', '--json'], cwd)
    expect(JSON.parse(missing.stdout)).toMatchObject({
      error: {code: 'RIFT_PROXY_CONFIG_INVALID', message: 'missing.json: missing required field: upstream at proxy 2'},
    })
    expect((await rift(['proxy', '--port', '0', '--config', 'nope.json'], cwd)).stderr).toContain('Code: RIFT_FILE_NOT_FOUND')

    const port = await busyPort()
    const busy = await rift(['proxy', '--port', String(port)], cwd)
    expect(busy.code).toBe(2)
    expect(busy.stderr).toContain(`The proxy API could not listen on 127.0.0.1:${port}: bind: address already in use`)
    expect(busy.stderr).toContain('Code: RIFT_PROXY_LISTEN_FAILED')
  })
})
