import {randomBytes} from 'node:crypto'

/**
 * Run ids sort by start time and stay short enough to appear in resource names:
 * `20261126-115012-a3f9` (UTC). Driver-side names are derived from it, so it must be [a-z0-9-] only.
 */
export function createRunId(now = new Date()): string {
  const iso = now.toISOString() // 2026-11-26T11:50:12.345Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/
