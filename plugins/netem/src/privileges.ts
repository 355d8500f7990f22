/**
 * The netem driver changes the kernel's network configuration: it needs CAP_NET_ADMIN (qdiscs, links, routes)
 * and CAP_SYS_ADMIN (`ip netns add` mounts a namespace), which in practice means root. Checked when the driver
 * connects, so a run without them stops before anything is planned into the ledger, with a message that says so.
 */
import {readFile} from 'node:fs/promises'

import {run} from './exec.js'

const CAP_NET_ADMIN = 12n
const CAP_SYS_ADMIN = 21n

/** The capabilities missing from a /proc/<pid>/status text's effective set. */
export function missingCapabilities(status: string): string[] {
  const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)?.[1]
  const effective = hex === undefined ? 0n : BigInt(`0x${hex}`)
  const missing: string[] = []
  if (((effective >> CAP_NET_ADMIN) & 1n) === 0n) missing.push('CAP_NET_ADMIN')
  if (((effective >> CAP_SYS_ADMIN) & 1n) === 0n) missing.push('CAP_SYS_ADMIN')
  return missing
}

export function privilegeMessage(missing: string[], uid: number): string {
  return (
    `The netem driver needs root: it creates network namespaces, veth pairs and tc qdiscs, which takes ${missing.join(' and ')} ` +
    `(this process runs as uid ${uid} without them). Run rift as root (for example: sudo -E rift run <experiment>), ` +
    'or use the toxiproxy driver, which needs no privileges.'
  )
}

/** @throws Error naming what is missing (privileges, or the `ip` and `tc` tools of iproute2). */
export async function assertCanManageNetwork(signal?: AbortSignal): Promise<void> {
  const missing = missingCapabilities(await readFile('/proc/self/status', 'utf8'))
  if (missing.length > 0) throw new Error(privilegeMessage(missing, process.getuid?.() ?? -1))
  for (const tool of ['ip', 'tc']) {
    try {
      await run(tool, ['-V'], signal)
    } catch {
      throw new Error(`The netem driver needs \`${tool}\` from iproute2 on the PATH (apt-get install iproute2).`)
    }
  }
}
