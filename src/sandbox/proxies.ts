/**
 * The sandbox's links are proxies on a Toxiproxy-compatible server, created through toxiproxy-node-client
 * exactly as a deployment in front of a real Toxiproxy would create them. Each listens on 127.0.0.1 at a
 * port the server picks; the answer tells us which.
 */
import {Toxiproxy} from 'toxiproxy-node-client'

import type {SandboxLink} from './types.js'

export type LinkSpec = Omit<SandboxLink, 'listen'>

/**
 * Creates one proxy per link. A proxy of the same name left behind on a shared server (a sandbox that was
 * killed) is replaced: the names are the sandbox's, and a stale one would point at ports nobody serves.
 */
export async function createLinks(toxiproxy: Toxiproxy, specs: LinkSpec[]): Promise<SandboxLink[]> {
  const links: SandboxLink[] = []
  for (const spec of specs) {
    const body = {enabled: true, listen: '127.0.0.1:0', name: spec.name, upstream: spec.upstream}
    let proxy
    try {
      proxy = await toxiproxy.createProxy(body)
    } catch (error) {
      if (!(error as Error).message.endsWith('status code 409')) throw error
      await (await toxiproxy.get(spec.name)).remove()
      proxy = await toxiproxy.createProxy(body)
    }
    links.push({from: spec.from, kind: spec.kind, listen: proxy.listen, name: spec.name, to: spec.to, upstream: spec.upstream})
  }
  return links
}

/** Removes the links' proxies; one already gone is fine. */
export async function removeLinks(toxiproxy: Toxiproxy, names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      try {
        await (await toxiproxy.get(name)).remove()
      } catch (error) {
        if (!(error as Error).message.endsWith('status code 404')) throw error
      }
    }),
  )
}

/** `127.0.0.1:4321` → {host, port}. */
export function splitAddress(address: string): {host: string; port: number} {
  const at = address.lastIndexOf(':')
  return {host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1))}
}
