/**
 * One fault on one edge is one qdisc tree at the root of that veth's egress, owned by the fault through its
 * handle (derived from the fault's name, so revert finds it from the ledger alone):
 *
 *     htb H: (default H:1)
 *     ├── class H:1  rate: the bandwidth limit, or 10gbit      leaf: netem delay (latency faults) or pfifo
 *     └── class H:2  leaf: pfifo limit 0 — every packet sent here is dropped
 *         filter: IPv4 packets, each with the drop probability (classic BPF on the kernel's random number)
 *
 * Packet loss and partitions need only htb and cls_bpf, so they work on kernels built without sch_netem;
 * latency and jitter need netem. ARP is never dropped, so a one-way partition stays one-way.
 */
import {createHash} from 'node:crypto'

import {CommandError, run} from './exec.js'
import type {Edge} from './lab.js'

export interface Effect {
  /** Probability (0..1] that an IPv4 packet on the edge is dropped. */
  drop?: number
  jitterMs?: number
  latencyMs?: number
  /** Bandwidth limit in kilobits per second. */
  rateKbit?: number
}

export class NetemUnsupportedError extends Error {
  constructor() {
    super(
      'this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM is not set, or the sch_netem module is not loaded): ' +
        'latency and jitter need it. Loss, partitions, outages and bandwidth work without it (modprobe sch_netem may help).',
    )
    this.name = 'NetemUnsupportedError'
  }
}

/** A qdisc major number (hex, 0x1000–0xfffe) derived from the fault's name. */
export function handleFor(name: string): string {
  const value = createHash('sha256').update(name).digest().readUInt16BE(0)
  return (0x1000 + (value % 0xeffe)).toString(16)
}

/**
 * Classic BPF for cls_bpf: load the kernel's per-packet random u32 (SKF_AD_OFF + SKF_AD_RANDOM), return -1
 * ("matched: use the filter's classid", the drop class) when it is below probability × 2^32, else 0.
 */
export function dropBytecode(probability: number): string {
  if (probability >= 1) return '1,6 0 0 4294967295'
  const threshold = Math.max(1, Math.round(probability * 2 ** 32))
  return `4,32 0 0 4294963256,53 1 0 ${threshold},6 0 0 4294967295,6 0 0 0`
}

const tc = (edge: Edge, args: string[], signal?: AbortSignal) => run('tc', ['-n', edge.namespace, ...args], signal)

/** The handle of the edge's root qdisc: undefined for the kernel's default, null when the edge is gone. */
export async function rootHandle(edge: Edge, signal?: AbortSignal): Promise<string | undefined | null> {
  let out: string
  try {
    out = await tc(edge, ['qdisc', 'show', 'dev', edge.device], signal)
  } catch (error) {
    if (error instanceof CommandError && /Cannot find device|Cannot open network namespace|No such file/i.test(error.stderr)) return null
    throw error
  }
  const root = /^qdisc (\S+) ([0-9a-f]+): root/m.exec(out)
  return root && root[1] === 'htb' ? root[2] : undefined
}

export async function applyEffect(edge: Edge, handle: string, effect: Effect, signal?: AbortSignal): Promise<void> {
  const rate = effect.rateKbit === undefined ? '10gbit' : `${effect.rateKbit}kbit`
  // burst: at least one full frame; a small cbuffer keeps a bandwidth limit from passing bursts through.
  await tc(edge, ['qdisc', 'add', 'dev', edge.device, 'root', 'handle', `${handle}:`, 'htb', 'default', '1'], signal)
  try {
    await tc(edge, ['class', 'add', 'dev', edge.device, 'parent', `${handle}:`, 'classid', `${handle}:1`, 'htb', 'rate', rate, 'ceil', rate, 'burst', '1600', 'cburst', '1600', 'quantum', '1514'], signal)
    if (effect.latencyMs !== undefined) {
      const delay = ['delay', `${effect.latencyMs}ms`, ...(effect.jitterMs ? [`${effect.jitterMs}ms`] : [])]
      try {
        await tc(edge, ['qdisc', 'add', 'dev', edge.device, 'parent', `${handle}:1`, 'netem', 'limit', '100000', ...delay], signal)
      } catch (error) {
        if (error instanceof CommandError && /qdisc kind is unknown/i.test(error.stderr)) throw new NetemUnsupportedError()
        throw error
      }
    }
    if (effect.drop !== undefined) {
      await tc(edge, ['class', 'add', 'dev', edge.device, 'parent', `${handle}:`, 'classid', `${handle}:2`, 'htb', 'rate', '10gbit', 'quantum', '1514'], signal)
      await tc(edge, ['qdisc', 'add', 'dev', edge.device, 'parent', `${handle}:2`, 'pfifo', 'limit', '0'], signal)
      await tc(edge, ['filter', 'add', 'dev', edge.device, 'parent', `${handle}:`, 'protocol', 'ip', 'prio', '1', 'bpf', 'bytecode', dropBytecode(effect.drop), 'classid', `${handle}:2`], signal)
    }
  } catch (error) {
    // Half a tree is worse than none: take ours away again before reporting.
    await removeRoot(edge, handle).catch(() => {})
    throw error
  }
}

/** Deletes the edge's root qdisc if it is this fault's; true when it did. */
export async function removeRoot(edge: Edge, handle: string, signal?: AbortSignal): Promise<boolean> {
  if ((await rootHandle(edge, signal)) !== handle) return false
  try {
    await tc(edge, ['qdisc', 'del', 'dev', edge.device, 'root'], signal)
    return true
  } catch (error) {
    // Gone in between (the namespace was deleted): nothing of ours is left.
    if ((await rootHandle(edge, signal)) !== handle) return false
    throw error
  }
}

/** What of the effect the kernel reports on the edge now; an empty list when all of it is in force. */
export async function missingEffect(edge: Edge, handle: string, effect: Effect, signal?: AbortSignal): Promise<string[]> {
  if ((await rootHandle(edge, signal)) !== handle) return [`no qdisc ${handle}: on ${edge.namespace}/${edge.device}`]
  const missing: string[] = []
  const qdiscs = await tc(edge, ['qdisc', 'show', 'dev', edge.device], signal)
  if (effect.latencyMs !== undefined && !new RegExp(`qdisc netem \\S+ parent ${handle}:1 .*delay ${effect.latencyMs}ms`).test(qdiscs)) {
    missing.push(`no netem delay ${effect.latencyMs}ms`)
  }
  if (effect.drop !== undefined) {
    const filters = await tc(edge, ['filter', 'show', 'dev', edge.device, 'parent', `${handle}:`], signal)
    if (!filters.includes(`flowid ${handle}:2`) || !filters.includes(dropBytecode(effect.drop))) missing.push('no drop filter')
  }
  if (effect.rateKbit !== undefined) {
    const classes = await tc(edge, ['class', 'show', 'dev', edge.device, 'classid', `${handle}:1`], signal)
    if (!/rate \d/.test(classes)) missing.push(`no rate limit on class ${handle}:1`)
  }
  return missing
}
