/**
 * The driver SDK's own version, separate from rift's: it changes only when the contract between the engine and
 * drivers does (src/drivers/define.ts). A driver records the version it was built against (`defineDriver` stamps
 * it); rift loads a plugin driver only when the major versions match.
 */
export const DRIVER_SDK_VERSION = '1.0.0'

/** The major version of a semver-ish string, or undefined when it does not start with one. */
function major(version: string): number | undefined {
  const match = /^(\d+)(?:\.|$)/.exec(version)
  return match ? Number(match[1]) : undefined
}

/** Same major version: a driver built against SDK 1.2 runs on rift with SDK 1.0 and 1.5, not on 2.0. */
export function sdkCompatible(version: string, host = DRIVER_SDK_VERSION): boolean {
  const wanted = major(version)
  return wanted !== undefined && wanted === major(host)
}
