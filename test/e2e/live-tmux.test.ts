/**
 * The live view as a terminal emulator renders it (tmux): redrawn in place, one panel on the screen at a
 * time, and nothing of it left once the summary is printed. Skipped only when tmux is not installed;
 * test/e2e/live.test.ts covers the raw frames through `script` regardless.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {BIN, ROOT, until, workspace} from './cli.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const SOCKET = `rift-live-test-${process.pid}`
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
})

describe.skipIf(!hasTmux)('the live view in tmux', () => {
  it('shows one panel redrawn in place during the run, and only the summary after it', async () => {
    const cwd = await workspace()
    const experiment = path.join(ROOT, 'experiments', 'sandbox', 'active-passive-outage.yaml')
    const command = `cd ${quote(cwd)} && env CI= NO_COLOR= RIFT_NO_LIVE= TERM=xterm-256color ${quote(process.execPath)} ${quote(BIN)} run ${quote(experiment)}; echo "EXIT=$?"; sleep 120`
    tmux('new-session', '-d', '-s', 'live', '-x', '120', '-y', '45', command)
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'live')
    await until(() => / left +landed/.test(screen()), 'the fault countdown on screen', 40_000)
    const during = screen()
    expect(during.match(/faults \(1 of 1 injected\)/g)).toHaveLength(1)
    expect(during.match(/^prober {2}GET /gm)).toHaveLength(1)
    expect(during.match(/^run \d{8}-\d{6}-[0-9a-f]{4} · /gm)).toHaveLength(1)
    expect(during).toMatch(/^ {2}success {3}/m)
    await until(() => screen().includes('EXIT='), 'the run to end', 60_000)
    const after = tmux('capture-pane', '-p', '-t', 'live', '-S', '-200')
    // The verdict is the experiment's business (a loaded machine can fail its SLOs); the view must tell it.
    const exit = /EXIT=(\d+)/.exec(after)![1]
    expect(after).toMatch(/^SLO +objective +observed +samples +status$/m)
    expect(after).toMatch(new RegExp(`^verdict: [A-Z-]+ \\(exit ${exit}\\)`, 'm'))
    // The panel was erased before the summary: none of its lines is left, in the scrollback either.
    expect(after).not.toMatch(/faults \(1 of 1 injected\)|^prober {2}GET /m)
    expect(after).toMatch(/^\+\d+\.\ds inject f1 region-outage/m)
  }, 120_000)
})
