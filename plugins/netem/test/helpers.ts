/** Shared by the netem plugin's tests: privilege and kernel checks, and tools run inside lab namespaces. */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {missingCapabilities} from '../src/privileges.js'

export const NET_TOOL = fileURLToPath(new URL('./net-tool.mjs', import.meta.url))
export const DIST = fileURLToPath(new URL('../dist/drivers.js', import.meta.url))

export const isRoot = missingCapabilities(readFileSync('/proc/self/status', 'utf8')).length === 0

/** A lab name unique to this test process: namespaces are `rift-<lab>-<region>`. */
export const uniqueLab = (prefix: string): string => `${prefix}${process.pid.toString(36)}${randomBytes(2).toString('hex')}`

/** Whether this kernel has the netem qdisc, tried in a namespace of our own that is deleted at once. */
export function netemSupported(): boolean {
  if (!isRoot) return false
  const namespace = `rift-probe-${uniqueLab('n')}`
  execFileSync('ip', ['netns', 'add', namespace])
  try {
    execFileSync('tc', ['-n', namespace, 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  } finally {
    execFileSync('ip', ['netns', 'del', namespace])
  }
}

export function labNamespaces(lab: string): string[] {
  return execFileSync('ip', ['netns', 'list'], {encoding: 'utf8'})
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(`rift-${lab}-`))
}

export function qdiscs(namespace: string, device: string): string {
  return execFileSync('tc', ['-n', namespace, 'qdisc', 'show', 'dev', device], {encoding: 'utf8'})
}

/** `node net-tool.mjs <args>` inside a namespace; resolves with each JSON line it prints. */
export function inNamespace(namespace: string, args: (string | number)[]): {child: ChildProcess; lines: unknown[]; next: () => Promise<any>; done: Promise<any>} {
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, NET_TOOL, ...args.map(String)], {stdio: ['ignore', 'pipe', 'pipe']})
  const lines: unknown[] = []
  const waiters: ((value: unknown) => void)[] = []
  let buffer = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    let index
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, index)) as unknown
      buffer = buffer.slice(index + 1)
      lines.push(line)
      waiters.shift()?.(line)
    }
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let taken = 0
  const next = () => {
    const already = lines[taken]
    taken++
    return already !== undefined ? Promise.resolve(already) : new Promise((resolve) => waiters.push(resolve))
  }
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 || code === null ? resolve(lines.at(-1)) : reject(new Error(`net-tool ${args.join(' ')} exited ${code}: ${stderr}`)))),
  )
  return {child, done, lines, next}
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
