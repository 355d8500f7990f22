/**
 * Without root the netem driver refuses to connect, saying what it needs; checked on the capability logic, and
 * for real by connecting as an unprivileged user (setpriv) when the tests run as root.
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

import {missingCapabilities, privilegeMessage} from '../src/privileges.js'
import {DIST, isRoot} from './helpers.js'

const run = promisify(execFile)
const status = (capEff: string) => `Name:\tnode\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\n`

describe('the privilege check', () => {
  it('reads CAP_NET_ADMIN and CAP_SYS_ADMIN from the effective set', () => {
    expect(missingCapabilities(status('000001ffffffffff'))).toEqual([]) // root
    expect(missingCapabilities(status('0000000000000000'))).toEqual(['CAP_NET_ADMIN', 'CAP_SYS_ADMIN']) // a user
    expect(missingCapabilities(status('0000000000001000'))).toEqual(['CAP_SYS_ADMIN']) // net admin alone
    expect(missingCapabilities('no capability lines')).toEqual(['CAP_NET_ADMIN', 'CAP_SYS_ADMIN'])
  })

  it('says it needs root, what for, and what to do instead', () => {
    const message = privilegeMessage(['CAP_NET_ADMIN', 'CAP_SYS_ADMIN'], 1000)
    expect(message).toContain('needs root')
    expect(message).toContain('uid 1000')
    expect(message).toContain('sudo -E rift run')
    expect(message).toContain('toxiproxy driver')
  })

  it.skipIf(!isRoot || !existsSync('/usr/bin/setpriv') || !existsSync(DIST))('refuses to connect as an unprivileged user, before touching anything', async () => {
    const script = `const [netem] = (await import(${JSON.stringify(DIST)})).default
try {
  await netem.connect({lab: 'never', keep: false}, {log: console, signal: AbortSignal.timeout(5000), stateDir: '/tmp', topology: {links: [], regions: [{name: 'a', services: {}, tags: {}}]}})
  console.log('connected')
} catch (error) { console.log(error.message) }`
    const {stdout} = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, '--input-type=module', '-e', script])
    expect(stdout).toContain('The netem driver needs root')
    expect(stdout).toContain('uid 65534')
    expect(stdout).not.toContain('connected')
  })
})
