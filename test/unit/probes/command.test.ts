import {describe, expect, it} from 'vitest'

import {commandProbeSchema} from '../../../src/experiment/schema.js'
import {runCommandProbe} from '../../../src/probes/command.js'

const never = new AbortController().signal
const spec = (command: Record<string, unknown>) => commandProbeSchema.parse({command}).command
const node = (code: string, ...args: string[]) => [process.execPath, '-e', code, ...args]

/** A SIGKILLed child may linger as a zombie for a moment until node reaps it. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

describe('command probe', () => {
  it('passes on exit code 0 and captures stdout', async () => {
    const outcome = await runCommandProbe(spec({expect: {stdoutContains: 'hello'}, run: node("process.stdout.write('hello world')")}), never)
    expect(outcome).toMatchObject({ok: true, value: {exitCode: 0, signal: null, stdout: 'hello world'}})
  })

  it('checks the exit code, quoting stderr when it differs', async () => {
    const failing = node("process.stderr.write('boom'); process.exit(3)")
    expect(await runCommandProbe(spec({expect: {exitCode: 3}, run: failing}), never)).toMatchObject({ok: true})
    const outcome = await runCommandProbe(spec({run: failing}), never)
    expect(outcome).toMatchObject({ok: false, value: {exitCode: 3}})
    expect(outcome.detail).toContain('exited 3, expected exit code 0; stderr: boom')
  })

  it('fails when stdout lacks the expected string', async () => {
    const outcome = await runCommandProbe(spec({expect: {stdoutContains: 'ready'}, run: node("console.log('starting')")}), never)
    expect(outcome.ok).toBe(false)
    expect(outcome.detail).toContain('stdout does not contain "ready"')
  })

  it('passes arguments as they are, with no shell', async () => {
    const outcome = await runCommandProbe(spec({run: node('process.stdout.write(process.argv[1])', '$(echo hi); `id`')}), never)
    expect(outcome.value).toMatchObject({stdout: '$(echo hi); `id`'})
  })

  it('reports a process killed by a signal', async () => {
    const outcome = await runCommandProbe(spec({run: node("process.kill(process.pid, 'SIGTERM')")}), never)
    expect(outcome).toMatchObject({ok: false, value: {exitCode: null, signal: 'SIGTERM'}})
    expect(outcome.detail).toContain('was killed by SIGTERM')
  })

  it('kills the process at the timeout', async () => {
    const outcome = await runCommandProbe(spec({run: node('console.log(process.pid); setInterval(() => {}, 1000)'), timeout: '300ms'}), never)
    expect(outcome).toMatchObject({ok: false, value: {exitCode: null, signal: 'SIGKILL'}})
    expect(outcome.detail).toContain('killed after the 300ms timeout')
    expect(outcome.durationMs).toBeLessThan(5000)
    const pid = Number((outcome.value as {stdout: string}).stdout.trim())
    expect(pid).toBeGreaterThan(0)
    expect(await gone(pid)).toBe(true)
  })

  it('reports a command that cannot start', async () => {
    const outcome = await runCommandProbe(spec({run: ['rift-no-such-command-anywhere']}), never)
    expect(outcome).toMatchObject({ok: false, value: null})
    expect(outcome.detail).toContain('cannot start rift-no-such-command-anywhere (not found)')
  })

  it('kills the process and rejects when the caller aborts', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const started = performance.now()
    await expect(runCommandProbe(spec({run: node('setInterval(() => {}, 1000)'), timeout: '20s'}), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(performance.now() - started).toBeLessThan(5000)
    await expect(runCommandProbe(spec({run: node('')}), AbortSignal.abort())).rejects.toMatchObject({name: 'AbortError'})
  })
})
