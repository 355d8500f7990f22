/**
 * Did the fault land? Read back from the server (the toxic is there with its values; the proxy is
 * disabled), and from the outside where the effect can be seen without knowing the protocol: a disabled
 * proxy refuses connections; on an HTTP link, a request through a latency toxic takes longer than the
 * same request straight to the upstream.
 */
import {connect} from 'node:net'

import type {Link} from '../../experiment/schema.js'
import type {Topology, Verification} from '../define.js'
import type {ToxiproxyClient} from './client.js'
import type {Operation} from './operations.js'

export async function verifyOperations(client: ToxiproxyClient, operations: Operation[], topology: Topology | undefined): Promise<Verification> {
  const seen: string[] = []
  for (const operation of operations) {
    if (operation.kind === 'disable') {
      const proxy = await client.proxy(operation.proxy)
      if (proxy.enabled) return {detail: `proxy ${operation.proxy} is still enabled`, landed: false}
      if (await acceptsConnections(proxy.listen)) return {detail: `proxy ${operation.proxy} is disabled but ${proxy.listen} still accepts connections`, landed: false}
      seen.push(`${operation.proxy} refuses connections at ${proxy.listen}`)
      continue
    }
    const held = await client.toxic(operation.proxy, operation.toxic)
    if (!held) return {detail: `toxic ${operation.toxic} is not on proxy ${operation.proxy}`, landed: false}
    const same = held.type === operation.type && held.stream === operation.stream && Object.entries(operation.attributes).every(([key, value]) => held.attributes[key] === value)
    if (!same) return {detail: `toxic ${operation.toxic} on ${operation.proxy} differs from what was injected: ${JSON.stringify(held)}`, landed: false}
    seen.push(`${operation.type} on ${operation.proxy} (${operation.stream})`)
  }
  const latency = await checkLatency(client, operations, topology)
  if (latency && !latency.landed) return latency
  return {detail: [...seen, ...(latency ? [latency.detail] : [])].join('; '), landed: true}
}

function acceptsConnections(address: string): Promise<boolean> {
  const {host, port} = splitHostPort(address)
  return new Promise((resolve) => {
    const socket = connect({host, port, timeout: 1000})
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

/** One latency toxic on an HTTP link with a known upstream, measured; undefined when none can be measured. */
async function checkLatency(client: ToxiproxyClient, operations: Operation[], topology: Topology | undefined): Promise<Verification | undefined> {
  for (const operation of operations) {
    if (operation.kind !== 'toxic' || operation.type !== 'latency') continue
    const link: Link | undefined = topology?.links.find((candidate) => candidate.name === operation.proxy)
    if (link?.protocol !== 'http' || !link.upstream) continue
    const proxy = await client.proxy(link.name)
    const expected = (operation.attributes.latency ?? 0) - (operation.attributes.jitter ?? 0)
    const direct = await timeRequest(link.upstream)
    const through = await timeRequest(proxy.listen)
    if (direct === undefined || through === undefined) continue
    const added = through - direct
    const detail = `a request through ${link.name} took ${added.toFixed(0)} ms longer than straight to ${link.upstream} (injected ${operation.attributes.latency} ms)`
    // Allow a tenth for timer and scheduling noise on a loaded machine.
    return {detail, landed: added >= expected * 0.9}
  }
  return undefined
}

async function timeRequest(address: string): Promise<number | undefined> {
  const started = performance.now()
  try {
    const response = await fetch(`http://${address}/`, {signal: AbortSignal.timeout(10_000)})
    await response.arrayBuffer()
    return performance.now() - started
  } catch {
    return undefined
  }
}

function splitHostPort(address: string): {host: string; port: number} {
  const index = address.lastIndexOf(':')
  const host = address.slice(0, index).replace(/^\[|\]$/g, '')
  return {host: host === '' || host === '::' ? '127.0.0.1' : host, port: Number(address.slice(index + 1))}
}
