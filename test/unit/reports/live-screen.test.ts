/** The TTY driver's escape sequences, written to a stand-in stream. */
import {describe, expect, it} from 'vitest'

import {FullScreen, InlineScreen} from '../../../src/reports/live/screen.js'

function stream(columns = 80, rows = 24): NodeJS.WriteStream & {written: string[]} {
  const written: string[] = []
  return {columns, rows, write: (chunk: string) => written.push(chunk) > 0, written} as unknown as NodeJS.WriteStream & {written: string[]}
}

describe('InlineScreen', () => {
  it('redraws over the last frame: cursor up by its height, clear below, the new frame in one write', () => {
    const out = stream()
    const screen = new InlineScreen(out)
    screen.draw(['a', 'b', 'c'])
    screen.draw(['d', 'e'])
    expect(out.written).toEqual(['\u001b[?25la\nb\nc\n', '\u001b[3F\u001b[J\u001b[?25ld\ne\n'])
    screen.close()
  })

  it('prints lasting lines above the panel and draws the panel again under them', () => {
    const out = stream()
    const screen = new InlineScreen(out)
    screen.draw(['panel 1', 'panel 2'])
    screen.print(['+1.0s inject f1'])
    expect(out.written.at(-1)).toBe('\u001b[2F\u001b[J+1.0s inject f1\npanel 1\npanel 2\n')
    screen.close()
    expect(out.written.at(-1)).toBe('\u001b[2F\u001b[J\u001b[?25h')
    screen.print(['after'])
    expect(out.written.at(-1)).toBe('after\n')
  })

  it('keeps a frame shorter than the screen, so the cursor can always reach its top', () => {
    const out = stream(80, 5)
    const screen = new InlineScreen(out)
    screen.draw(['1', '2', '3', '4', '5', '6', '7'])
    expect(out.written[0]).toBe('\u001b[?25l1\n2\n3\n4\n')
    screen.close()
  })
})

describe('FullScreen', () => {
  it('enters the alternate screen on the first frame only, and always gives it back', () => {
    const out = stream(80, 3)
    const screen = new FullScreen(out)
    expect(out.written).toEqual([])
    screen.draw(['x', 'y', 'z', 'cut'])
    expect(out.written).toEqual(['\u001b[?1049h\u001b[?25l\u001b[H\u001b[2J', '\u001b[Hx\u001b[K\r\ny\u001b[K\r\nz\u001b[K\u001b[J'])
    screen.close()
    screen.close()
    expect(out.written.slice(2)).toEqual(['\u001b[?25h\u001b[?1049l'])
  })
})
