import {z} from 'zod'

import {duration} from '../../experiment/schema.js'
import {parseDuration} from '../../util/duration.js'

export const toxiproxyConfigSchema = z.strictObject({
  /** Lease time on a rift server: if the runner stops renewing for this long, the server reverts its faults. */
  leaseTtl: duration.default('10s'),
  /**
   * What the server is. `rift` (the embedded server, or `rift proxy`) has leases and the `corrupt` toxic;
   * a real `toxiproxy` has neither. Defaults to `rift` when no url is given, `toxiproxy` otherwise.
   */
  server: z.enum(['rift', 'toxiproxy']).optional(),
  /** A running Toxiproxy-compatible server. Without one, the driver starts rift's embedded server. */
  url: z.url({protocol: /^https?$/}).optional(),
})
export type ToxiproxyConfig = z.infer<typeof toxiproxyConfigSchema>

export function serverFlavor(config: ToxiproxyConfig | undefined): 'rift' | 'toxiproxy' {
  return config?.server ?? (config?.url ? 'toxiproxy' : 'rift')
}

export function leaseTtlMs(config: ToxiproxyConfig): number {
  const parsed = parseDuration(config.leaseTtl)
  return parsed.ok ? parsed.ms : 10_000
}
