/**
 * The lab: one network namespace per region (and one for `clients`), each pair joined by a veth pair. Each
 * namespace has one address from 198.18.0.0/24 (RFC 2544's benchmarking range, never routed on the internet) on
 * its loopback, reachable from every other namespace over their own veth, so a fault on one direction of one
 * pair touches nothing else. Nothing is added to the host's namespace: traffic stays inside the lab.
 *
 * Names: namespace `rift-<lab>-<node>`; in namespace A, the veth to B is `to-<B>` (or `to-n<index>` when that
 * would exceed the kernel's 15 characters). Veths are created directly inside their namespaces, so two labs
 * never collide on interface names.
 */
import {run} from './exec.js'

export const CLIENTS = 'clients'
const ADDRESS_BASE = '198.18.0.'

export interface LabNode {
  address: string
  name: string
  namespace: string
}

/** One direction of one pair: packets leaving `from` for `to`, on the veth in `from`'s namespace. */
export interface Edge {
  device: string
  from: string
  namespace: string
  to: string
}

export const namespaceOf = (lab: string, node: string): string => `rift-${lab}-${node}`

/** `clients` first, then the regions in topology order: indexes (and addresses) are stable for a topology. */
export function labNodes(lab: string, regions: readonly string[]): LabNode[] {
  return [CLIENTS, ...regions.filter((region) => region !== CLIENTS)].map((name, index) => ({
    address: `${ADDRESS_BASE}${index + 1}`,
    name,
    namespace: namespaceOf(lab, name),
  }))
}

function deviceName(peer: string, index: number): string {
  const name = `to-${peer}`
  return name.length <= 15 ? name : `to-n${index}`
}

export function edgeBetween(lab: string, nodes: readonly LabNode[], from: string, to: string): Edge {
  const peerIndex = nodes.findIndex((node) => node.name === to)
  return {device: deviceName(to, peerIndex), from, namespace: namespaceOf(lab, from), to}
}

export async function listNamespaces(signal?: AbortSignal): Promise<Set<string>> {
  const out = await run('ip', ['netns', 'list'], signal)
  return new Set(out.split('\n').map((line) => line.split(' ')[0]!).filter(Boolean))
}

async function deviceExists(namespace: string, device: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await run('ip', ['-n', namespace, 'link', 'show', 'dev', device], signal)
    return true
  } catch {
    return false
  }
}

/** Creates whatever part of the lab is missing; true when it created anything. Idempotent. */
export async function createLab(lab: string, regions: readonly string[], signal?: AbortSignal): Promise<boolean> {
  const nodes = labNodes(lab, regions)
  const existing = await listNamespaces(signal)
  let created = false
  for (const node of nodes) {
    if (existing.has(node.namespace)) continue
    await run('ip', ['netns', 'add', node.namespace], signal)
    await run('ip', ['-n', node.namespace, 'link', 'set', 'lo', 'up'], signal)
    await run('ip', ['-n', node.namespace, 'addr', 'add', `${node.address}/32`, 'dev', 'lo'], signal)
    created = true
  }
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      const ab = edgeBetween(lab, nodes, a.name, b.name)
      const ba = edgeBetween(lab, nodes, b.name, a.name)
      if (await deviceExists(ab.namespace, ab.device, signal)) continue
      await run('ip', ['link', 'add', ab.device, 'netns', ab.namespace, 'type', 'veth', 'peer', 'name', ba.device, 'netns', ba.namespace], signal)
      for (const [edge, self, peer] of [[ab, a, b], [ba, b, a]] as const) {
        await run('ip', ['-n', edge.namespace, 'link', 'set', edge.device, 'up'], signal)
        await run('ip', ['-n', edge.namespace, 'route', 'replace', `${peer.address}/32`, 'dev', edge.device, 'src', self.address], signal)
      }
      created = true
    }
  }
  return created
}

/** Deletes the lab's namespaces (their veths go with them). Processes still inside keep theirs alive. */
export async function destroyLab(lab: string, regions: readonly string[], signal?: AbortSignal): Promise<void> {
  const existing = await listNamespaces(signal)
  for (const node of labNodes(lab, regions)) {
    if (existing.has(node.namespace)) await run('ip', ['netns', 'del', node.namespace], signal)
  }
}
