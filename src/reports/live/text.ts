/**
 * Text helpers for the live view: sparklines, bars, fitting lines to the terminal's width, and colour that
 * is only ever added when asked for (never off a TTY, never under NO_COLOR).
 */

// eslint-disable-next-line no-control-regex -- colour codes are what this matches
const ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g
const LEVELS = '▁▂▃▄▅▆▇█'

/** The characters a line shows, without its colour codes. */
export function visibleLength(text: string): number {
  return [...text.replace(ESCAPE, '')].length
}

/** Cuts a line to `width` visible characters (colour codes kept, and reset when a cut happened inside one). */
export function fit(text: string, width: number): string {
  if (visibleLength(text) <= width) return text
  let out = ''
  let shown = 0
  let coloured = false
  for (let index = 0; index < text.length && shown < Math.max(0, width - 1); ) {
    const escape = text.startsWith('\u001b[', index) ? new RegExp(`^${ESCAPE.source}`).exec(text.slice(index)) : null
    if (escape) {
      out += escape[0]
      coloured = escape[0] !== '\u001b[0m'
      index += escape[0].length
      continue
    }
    const char = String.fromCodePoint(text.codePointAt(index)!)
    out += char
    index += char.length
    shown += 1
  }
  return `${out}…${coloured ? '\u001b[0m' : ''}`
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)))
}

/**
 * One character per value, scaled between `min` and `max`: `null` (no data) is a space. `floor` marks the
 * worst value with its own glyph, so a bucket where every probe failed is not mistaken for a low one.
 */
export function sparkline(values: readonly (number | null)[], options: {max: number; min?: number; floorGlyph?: string}): string {
  const min = options.min ?? 0
  const span = Math.max(options.max - min, Number.EPSILON)
  return values
    .map((value) => {
      if (value === null) return ' '
      if (options.floorGlyph !== undefined && value <= min) return options.floorGlyph
      const level = Math.round(((Math.min(Math.max(value, min), options.max) - min) / span) * (LEVELS.length - 1))
      return LEVELS[level]!
    })
    .join('')
}

/** `[#####-----]`: how much of a fault's duration has passed. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}

export type Paint = (style: 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan' | 'inverse', text: string) => string

const CODES = {bold: 1, cyan: 36, dim: 2, green: 32, inverse: 7, red: 31, yellow: 33} as const

export function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m` : (_style, text) => text
}

/** `1.4ms`, `240ms`, `2.5s`, `1m05s`: short, for columns. */
export function shortDuration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)}ms`
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`
}

export function percent(value: number | null): string {
  return value === null ? 'n/a' : `${Number(value.toFixed(1))}%`
}

/** The median of a list of numbers, or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}
