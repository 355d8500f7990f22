/** Durations as people write them in experiment files: `500ms`, `10s`, `5m`, `1h`, `1m30s`. */
const UNIT_MS = {ms: 1, s: 1000, m: 60_000, h: 3_600_000} as const
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$'

export type DurationParse = {ok: true; ms: number} | {ok: false; reason: string}

export function parseDuration(text: string): DurationParse {
  const trimmed = text.trim()
  if (trimmed.startsWith('-')) return {ok: false, reason: `a duration cannot be negative, got "${text}"`}
  if (trimmed === '') return {ok: false, reason: 'expected a duration like 500ms, 10s or 5m, got an empty string'}
  PART.lastIndex = 0
  let ms = 0
  let consumed = 0
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    ms += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
    consumed = PART.lastIndex
  }
  if (consumed !== trimmed.length || consumed === 0) {
    const hint = /^\d+(\.\d+)?$/.test(trimmed) ? ` (add a unit: "${trimmed}s" or "${trimmed}ms")` : ''
    return {ok: false, reason: `expected a duration like 500ms, 10s or 5m, got "${text}"${hint}`}
  }
  return {ok: true, ms: Math.round(ms)}
}

/** `1500` → `1.5s`; `90000` → `1m30s`; for messages and plans. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`
  const minutes = Math.floor(ms / 60_000)
  const rest = ms - minutes * 60_000
  return rest === 0 ? `${minutes}m` : `${minutes}m${formatDuration(rest)}`
}
