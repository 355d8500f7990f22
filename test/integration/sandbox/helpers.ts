/**
 * Helpers for the sandbox tests: HTTP through the router or straight to a node, the proxies through
 * toxiproxy-node-client (as the Toxiproxy driver drives them), and polling with a deadline. Every sandbox a
 * test starts is stopped by `stopAll()` (call it in afterEach), even when the test fails half-way.
 */
import {Toxiproxy, type ICreateToxicBody, type Proxy} from 'toxiproxy-node-client'

import {startSandbox, type NodeState, type RouterState, type Sandbox, type SandboxOptions} from '../../../src/sandbox/index.js'

const started: Sandbox[] = []

export async function sandbox(options: SandboxOptions): Promise<Sandbox> {
  const box = await startSandbox(options)
  started.push(box)
  return box
}

export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((box) => box.stop()))
}

export interface Answer {
  body: any
  ms: number
  region: string | null
  status: number
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const start = performance.now()
  const res = await fetch(url, {...init, signal: AbortSignal.timeout(5000)})
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return {body, ms: performance.now() - start, region: res.headers.get('x-rift-region'), status: res.status}
}

export const put = (base: string, key: string, value: string): Promise<Answer> => call(`${base}/kv/${encodeURIComponent(key)}`, {body: value, method: 'PUT'})
export const get = (base: string, key: string): Promise<Answer> => call(`${base}/kv/${encodeURIComponent(key)}`)

export async function nodeState(box: Sandbox, region: string): Promise<NodeState> {
  return (await call(`${apiUrl(box, region)}/admin/state`)).body as NodeState
}

export async function routerState(box: Sandbox): Promise<RouterState> {
  return (await call(`${box.routerUrl}/router/state`)).body as RouterState
}

export function apiUrl(box: Sandbox, region: string): string {
  return box.regions.find((candidate) => candidate.name === region)!.apiUrl
}

export function proxy(box: Sandbox, name: string): Promise<Proxy> {
  return new Toxiproxy(box.proxyUrl).get(name)
}

/** Turns a link off as the driver's `reject` outage does: the proxy is disabled, connections are refused. */
export async function disable(box: Sandbox, name: string): Promise<void> {
  const link = await proxy(box, name)
  await link.update({enabled: false, listen: link.listen, upstream: link.upstream})
}

export async function enable(box: Sandbox, name: string): Promise<void> {
  const link = await proxy(box, name)
  await link.update({enabled: true, listen: link.listen, upstream: link.upstream})
}

/** Adds a toxic; the client types every field as required, Toxiproxy needs only some. */
export async function addToxic(box: Sandbox, link: string, toxic: {attributes: Record<string, number>; name?: string; stream: 'upstream' | 'downstream'; type: string}): Promise<() => Promise<void>> {
  const created = await (await proxy(box, link)).addToxic(toxic as unknown as ICreateToxicBody<Record<string, number>>)
  return () => created.remove()
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** `count` writes one after another; returns each answer. */
export async function writeMany(base: string, keys: string[], value: (key: string) => string = (key) => `value-of-${key}`): Promise<Answer[]> {
  const answers: Answer[] = []
  for (const key of keys) answers.push(await put(base, key, value(key)))
  return answers
}

export const keys = (prefix: string, count: number): string[] => Array.from({length: count}, (_, index) => `${prefix}-${index}`)
