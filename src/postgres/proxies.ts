/** The few calls the setup and the failover step make to a Toxiproxy-compatible API (rift proxy or Toxiproxy). */
import type {ProxySpec} from './layout.js'

async function call(base: string, method: string, path: string, body?: unknown): Promise<{status: number; text: string}> {
  const res = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(10_000),
    ...(body === undefined ? {} : {body: JSON.stringify(body), headers: {'content-type': 'application/json'}}),
  })
  return {status: res.status, text: await res.text()}
}

/** Creates the proxy, or brings an existing one of that name to this listen and upstream, enabled. */
export async function ensureProxy(base: string, proxy: ProxySpec): Promise<void> {
  const created = await call(base, 'POST', '/proxies', {...proxy, enabled: true})
  if (created.status === 201) return
  if (created.status !== 409) throw new Error(`creating proxy ${proxy.name} at ${base}: HTTP ${created.status} ${created.text.trim()}`)
  const updated = await call(base, 'POST', `/proxies/${encodeURIComponent(proxy.name)}`, {...proxy, enabled: true})
  if (updated.status !== 200) throw new Error(`updating proxy ${proxy.name} at ${base}: HTTP ${updated.status} ${updated.text.trim()}`)
}

/** Points a proxy at another upstream. The proxy closes its open connections, so clients reconnect to the new one. */
export async function repointProxy(base: string, name: string, upstream: string): Promise<{listen: string; upstream: string}> {
  const res = await call(base, 'POST', `/proxies/${encodeURIComponent(name)}`, {upstream})
  if (res.status !== 200) throw new Error(`repointing proxy ${name} at ${base}: HTTP ${res.status} ${res.text.trim()}`)
  const proxy = JSON.parse(res.text) as {listen: string; upstream: string}
  return {listen: proxy.listen, upstream: proxy.upstream}
}

/** Removes the proxy; one that is already gone is fine. */
export async function deleteProxy(base: string, name: string): Promise<void> {
  const res = await call(base, 'DELETE', `/proxies/${encodeURIComponent(name)}`)
  if (res.status !== 204 && res.status !== 404) throw new Error(`deleting proxy ${name} at ${base}: HTTP ${res.status} ${res.text.trim()}`)
}
