/**
 * The thin TTY half of the live view. Inline: the panel is redrawn in place under the lines already printed
 * (cursor up over the last frame, clear to the end of the screen, write the new frame in one write), and
 * event lines are printed above it so they stay in the scrollback. Full screen: the alternate screen buffer,
 * redrawn from the top; the terminal is given back (cursor shown, main screen restored) on close and on any
 * process exit, including a second Ctrl-C.
 */
const CSI = '\u001b['

export interface Screen {
  /** Visible columns and rows (80×24 when the terminal does not say). */
  size(): {columns: number; rows: number}
  draw(lines: string[]): void
  /** Lines that stay: above the panel inline; full screen shows events itself, so they are ignored there. */
  print(lines: string[]): void
  /** Removes the panel (inline) or leaves the alternate screen; idempotent. */
  close(): void
}

export function terminalSize(stream: NodeJS.WriteStream): {columns: number; rows: number} {
  return {columns: stream.columns > 0 ? stream.columns : 80, rows: stream.rows > 0 ? stream.rows : 24}
}

export class InlineScreen implements Screen {
  #height = 0
  #frame: string[] = []
  #closed = false
  readonly #restore = (): void => this.close()

  constructor(private readonly stream: NodeJS.WriteStream) {
    process.once('exit', this.#restore)
  }

  size(): {columns: number; rows: number} {
    return terminalSize(this.stream)
  }

  draw(lines: string[]): void {
    if (this.#closed) return
    // A frame taller than the screen could not be reached again by moving the cursor up.
    this.#frame = lines.slice(0, Math.max(1, this.size().rows - 1))
    this.stream.write(`${this.#erase()}${CSI}?25l${this.#frame.join('\n')}\n`)
    this.#height = this.#frame.length
  }

  print(lines: string[]): void {
    if (lines.length === 0) return
    if (this.#closed) {
      this.stream.write(`${lines.join('\n')}\n`)
      return
    }
    const frame = this.#frame.length > 0 ? `${this.#frame.join('\n')}\n` : ''
    this.stream.write(`${this.#erase()}${lines.join('\n')}\n${frame}`)
    this.#height = this.#frame.length
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    process.off('exit', this.#restore)
    this.stream.write(`${this.#erase()}${CSI}?25h`)
    this.#height = 0
  }

  #erase(): string {
    return this.#height > 0 ? `${CSI}${this.#height}F${CSI}J` : ''
  }
}

export class FullScreen implements Screen {
  #open = false
  #closed = false
  readonly #restore = (): void => this.close()

  constructor(private readonly stream: NodeJS.WriteStream) {}

  size(): {columns: number; rows: number} {
    return terminalSize(this.stream)
  }

  draw(lines: string[]): void {
    if (this.#closed) return
    if (!this.#open) {
      // Entered on the first frame, so an error before the run (a bad file) is printed on the main screen.
      this.stream.write(`${CSI}?1049h${CSI}?25l${CSI}H${CSI}2J`)
      this.#open = true
      process.once('exit', this.#restore)
    }
    const rows = this.size().rows
    this.stream.write(`${CSI}H${lines.slice(0, rows).map((line) => `${line}${CSI}K`).join('\r\n')}${CSI}J`)
  }

  print(): void {}

  close(): void {
    this.#closed = true
    if (!this.#open) return
    this.#open = false
    process.off('exit', this.#restore)
    this.stream.write(`${CSI}?25h${CSI}?1049l`)
  }
}
