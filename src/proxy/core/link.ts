/**
 * One direction of one connection: bytes read from `src` pass through the direction's toxic chain and are
 * written to `dst`. With no toxics the link takes a fast path: each 'data' chunk goes straight to
 * dst.write(), pausing `src` while `dst` is over its high-water mark, with no allocation, timer or
 * promise per chunk. Adding a toxic inserts a stage between the reader and the writer, and removing the
 * last one returns to the fast path; both happen between two chunks, so bytes are never reordered, and a
 * removed stage's queue is flushed to its successor first, so none are lost.
 */
import type {Socket} from 'node:net'
import type {Direction} from '../types.js'
import type {Sink} from './sink.js'
import {Stage, type ToxicEntry} from './stage.js'
import {SocketWriter} from './writer.js'

export class Link {
  readonly writer: SocketWriter
  readonly stages: Stage[] = []
  /** Bytes read from `src`. */
  received = 0
  #head: Sink | undefined
  #paused = false
  #readerEnded = false

  constructor(
    readonly direction: Direction,
    private readonly src: Socket,
    dst: Socket,
    onFinish: () => void,
  ) {
    this.writer = new SocketWriter(dst, onFinish)
  }

  /** Builds the chain from the direction's toxics and starts reading. */
  start(entries: readonly ToxicEntry[]): void {
    for (const entry of entries) this.stages.push(new Stage(entry))
    this.#rewire()
    for (const stage of this.stages) stage.start()
    this.src.on('data', this.#onData)
    this.src.on('end', this.sourceEnded)
    this.writer.socket.on('drain', this.#onDrain)
  }

  /** Appends a toxic on this live link; the previous last stage restarts, re-rolling its toxicity. */
  addStage(entry: ToxicEntry): void {
    const previous = this.stages.at(-1)
    const stage = new Stage(entry)
    this.stages.push(stage)
    this.#rewire()
    if (this.#readerEnded && previous === undefined) stage.end()
    stage.start()
    if (previous) void previous.restart()
  }

  /** Restarts the toxic's stage with new settings (toxicity re-rolled). */
  updateStage(entry: ToxicEntry): Promise<unknown> {
    const stage = this.stages.find((s) => s.name === entry.config.name)
    return stage ? stage.restart(entry) : Promise.resolve()
  }

  /**
   * Splices the toxic out: interrupt it (its in-flight chunk goes on), flush its queue to its successor,
   * restart its predecessor. A toxic with cleanup (timeout) closes its direction instead.
   */
  async removeStage(name: string): Promise<void> {
    const stage = this.stages.find((s) => s.name === name)
    if (!stage) return
    const wasRunning = await stage.stop()
    if (wasRunning && stage.toxic.cleanup) stage.toxic.cleanup(stage)
    stage.flush()
    const index = this.stages.indexOf(stage)
    this.stages.splice(index, 1)
    this.#rewire()
    stage.dispose()
    const previous = this.stages[index - 1]
    if (previous) void previous.restart()
  }

  /** EOF (FIN) or the source socket closed: END flows down the chain after what is queued. */
  readonly sourceEnded = (): void => {
    if (this.#readerEnded) return
    this.#readerEnded = true
    ;(this.#head ?? this.writer).end()
  }

  /** The destination socket closed: drop what is still to be written. */
  destinationClosed(): void {
    this.writer.socketClosed()
  }

  dispose(): void {
    for (const stage of this.stages) stage.dispose()
  }

  readonly #onData = (data: Buffer): void => {
    this.received += data.length
    const head = this.#head
    if (head === undefined) {
      const writer = this.writer
      if (writer.done) return
      writer.bytes += data.length
      if (!writer.socket.write(data)) this.#pause()
    } else if (!head.push({data, t: performance.now()})) this.#pause()
  }

  readonly #onDrain = (): void => {
    this.writer.onSpace?.()
  }

  #pause(): void {
    if (this.#paused) return
    this.#paused = true
    this.src.pause()
  }

  readonly #maybeResume = (): void => {
    if (!this.#paused || !(this.#head ?? this.writer).hasSpace()) return
    this.#paused = false
    this.src.resume()
  }

  /** Points the reader, each stage and the writer at their neighbours, then re-checks every wait. */
  #rewire(): void {
    let onSpace = this.#maybeResume
    for (let i = 0; i < this.stages.length; i++) {
      const stage = this.stages[i]!
      stage.onSpace = onSpace
      stage.next = this.stages[i + 1] ?? this.writer
      onSpace = stage.spaceAvailable
    }
    this.writer.onSpace = onSpace
    this.#head = this.stages[0]
    for (const stage of this.stages) stage.spaceAvailable()
    this.#maybeResume()
  }
}
