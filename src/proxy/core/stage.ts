/**
 * A stage is Toxiproxy's ToxicStub: one toxic on one direction of one connection. It owns an input queue
 * (its upstream neighbour or the socket reader pushes into it), runs the toxic's pipe() over it, and
 * hands output to `next`. Invariants:
 * - Nothing pushed is lost while the stage is interrupted: the queue keeps it, and whoever splices the
 *   stage out flushes the queue (and a pending END) into `next`.
 * - The pipe has at most one pending wait (read, sleep or backpressure); an interrupt or dispose settles it.
 * - Control operations (restart, stop) run one after another, each waiting for the pipe to exit.
 * - The toxicity roll happens on every (re)start, as Go's ToxicStub.Run does.
 */
import {NoopToxic} from '../toxics/noop.js'
import {type Chunk, DEADLINE, END, type Input, INTERRUPT, type Stub, type Toxic} from '../toxics/toxic.js'
import type {ToxicConfig} from '../types.js'
import {after, atPrecise, type Cancel} from './clock.js'
import type {Sink} from './sink.js'

const NOOP = new NoopToxic()

/** What woke a pending wait. */
type Reason = 'data' | 'space' | 'timer' | 'interrupt' | 'dispose'

/** What a stage runs: the toxic's settings and the built toxic. Shared by every connection's stage. */
export interface ToxicEntry {
  config: ToxicConfig
  toxic: Toxic
}

export class Stage implements Stub, Sink {
  next!: Sink
  onSpace: (() => void) | undefined
  readonly name: string
  readonly state: unknown
  #config: ToxicConfig
  #toxic: Toxic

  readonly #queue: Chunk[] = []
  #ended = false
  #closed = false
  #disposed = false
  #interrupted = false
  #pipe: Promise<void> | undefined
  #control: Promise<unknown> = Promise.resolve()
  #waiting: ((reason: Reason) => void) | undefined

  constructor(entry: ToxicEntry) {
    this.name = entry.config.name
    this.#config = entry.config
    this.#toxic = entry.toxic
    this.state = entry.toxic.newState?.()
  }

  get toxic(): Toxic {
    return this.#toxic
  }

  /** The toxic closed its output (or was closed on removal); input is discarded from now on. */
  get closed(): boolean {
    return this.#closed
  }

  // --- Sink: the upstream side ---

  push(chunk: Chunk): boolean {
    if (this.#closed || this.#ended || this.#disposed) return true
    this.#queue.push(chunk)
    this.#fire('data')
    return this.#queue.length <= this.#toxic.bufferSize
  }

  end(): void {
    if (this.#ended) return
    this.#ended = true
    this.#fire('data')
  }

  hasSpace(): boolean {
    return this.#closed || this.#disposed || this.#queue.length <= this.#toxic.bufferSize
  }

  /** The next sink may have room: wake a pipe waiting to write. */
  readonly spaceAvailable = (): void => {
    if (this.next.hasSpace()) this.#fire('space')
  }

  // --- Stub: what the toxic sees ---

  read(): Input | Promise<Input>
  read(deadline: number): Input | typeof DEADLINE | Promise<Input | typeof DEADLINE>
  read(deadline = Infinity): Input | typeof DEADLINE | Promise<Input | typeof DEADLINE> {
    const ready = this.#take()
    if (ready !== undefined) return ready
    if (deadline <= performance.now()) return DEADLINE
    return this.#wait<Input | typeof DEADLINE>(deadline, true, (reason) => {
      if (reason === 'space') return undefined
      return this.#take() ?? (reason === 'timer' ? DEADLINE : undefined)
    })
  }

  write(chunk: Chunk): void | Promise<void> {
    if (this.#disposed) return
    if (this.next.push(chunk) || this.#interrupted) return
    return this.#wait<true>(Infinity, false, (reason) => (reason === 'data' || reason === 'timer' ? undefined : true)).then(() => {})
  }

  sleepUntil(deadline: number): boolean | Promise<boolean> {
    if (this.#interrupted) return false
    if (deadline <= performance.now()) return true
    return this.#wait(deadline, true, sleepSettle)
  }

  sleep(ms: number): boolean | Promise<boolean> {
    if (this.#interrupted) return false
    if (!(ms > 0)) return true
    return this.#wait(performance.now() + ms, false, sleepSettle)
  }

  async sleepUninterruptible(ms: number): Promise<void> {
    if (this.#disposed || !(ms > 0)) return
    await this.#wait<true>(performance.now() + ms, true, (reason) => (reason === 'timer' || reason === 'dispose' ? true : undefined))
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#queue.length = 0
    this.onSpace?.()
    if (!this.#disposed) this.next.end()
  }

  // --- Control: the link's side ---

  /** Runs the toxic (or a noop, per the toxicity roll). */
  start(): void {
    if (this.#closed || this.#disposed || this.#pipe) return
    const toxic = Math.random() < Math.fround(this.#config.toxicity) ? this.#toxic : NOOP
    this.#pipe = toxic.pipe(this).catch(() => this.close())
  }

  /** Interrupts the pipe and starts it again, with a new toxic when updated; toxicity is re-rolled. */
  restart(entry?: ToxicEntry): Promise<unknown> {
    return this.#serial(async () => {
      if (this.#closed || this.#disposed) return
      await this.#halt()
      if (entry) {
        this.#config = entry.config
        this.#toxic = entry.toxic
      }
      this.start()
    })
  }

  /** Interrupts the pipe for good (the stage is being removed). False when it had already closed. */
  stop(): Promise<boolean> {
    return this.#serial(async () => {
      if (this.#closed || this.#disposed) return false
      await this.#halt()
      return true
    })
  }

  /** Moves what is queued, and a pending END, into `next`. Only while stopped. */
  flush(): void {
    if (this.#closed || this.#disposed) return
    const next = this.next
    for (const chunk of this.#queue.splice(0)) next.push(chunk)
    if (this.#ended) next.end()
  }

  /** The connection is gone: stop everything, including uninterruptible sleeps, and never restart. */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    this.#interrupted = true
    this.#queue.length = 0
    this.#fire('dispose')
  }

  // --- internals ---

  #take(): Input | undefined {
    if (this.#interrupted) return INTERRUPT
    const chunk = this.#queue.shift()
    if (chunk !== undefined) {
      if (this.#queue.length === this.#toxic.bufferSize) this.onSpace?.()
      return chunk
    }
    return this.#ended ? END : undefined
  }

  #fire(reason: Reason): void {
    this.#waiting?.(reason)
  }

  /** One pending wait; `settle` maps a wake-up to the result, or undefined to keep waiting. */
  #wait<T>(deadline: number, precise: boolean, settle: (reason: Reason) => T | undefined): Promise<T> {
    return new Promise<T>((resolve) => {
      let cancel: Cancel | undefined
      const waiter = (reason: Reason): void => {
        const value = settle(reason)
        if (value === undefined) return
        if (this.#waiting === waiter) this.#waiting = undefined
        cancel?.()
        resolve(value)
      }
      this.#waiting = waiter
      if (this.#disposed) return waiter('dispose')
      if (deadline !== Infinity) {
        const fire = (): void => waiter('timer')
        cancel = precise ? atPrecise(deadline, fire) : after(deadline - performance.now(), fire)
      }
    })
  }

  async #halt(): Promise<void> {
    const pipe = this.#pipe
    if (pipe === undefined) return
    this.#interrupted = true
    this.#fire('interrupt')
    await pipe
    this.#pipe = undefined
    if (!this.#disposed) this.#interrupted = false
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#control.then(op)
    this.#control = run.catch(() => undefined)
    return run
  }
}

function sleepSettle(reason: Reason): boolean | undefined {
  if (reason === 'timer') return true
  if (reason === 'interrupt' || reason === 'dispose') return false
  return undefined
}
