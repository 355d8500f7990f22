/**
 * What a toxic is, and the stub it runs on: Toxiproxy's `Toxic` / `ToxicStub` pair. A toxic holds only its
 * settings; the stub (one per connection, direction and toxic; src/proxy/core/stage.ts) holds the input
 * queue, the output and the per-connection state. `pipe()` moves chunks from input to output until the
 * input ends (then it closes the stub) or it is interrupted (then it returns, leaving unread input queued so
 * that a restarted or spliced-out stub loses nothing).
 */
import type {ToxicTypeInfo} from '../types.js'

/** A piece of the stream, with the time (performance.now(), ms) the proxy received it from the socket. */
export interface Chunk {
  data: Buffer
  t: number
}

/** The input has ended. Like a closed Go channel it is level-triggered: every later read returns it again. */
export const END: unique symbol = Symbol('end')
/** The stub is being interrupted (toxic updated, removed, or a neighbour changed): return from pipe(). */
export const INTERRUPT: unique symbol = Symbol('interrupt')
/** A read's deadline passed first. */
export const DEADLINE: unique symbol = Symbol('deadline')

export type Input = Chunk | typeof END | typeof INTERRUPT

export interface Stub {
  /** The next input: a chunk, END, or INTERRUPT; with `deadline` (performance.now() ms) also DEADLINE. */
  read(): Input | Promise<Input>
  read(deadline: number): Input | typeof DEADLINE | Promise<Input | typeof DEADLINE>
  /** Pass a chunk on. Never drops it; the promise (if any) is backpressure from the next stage. */
  write(chunk: Chunk): void | Promise<void>
  /** Sleep until `deadline` with sub-millisecond precision. Resolves false when interrupted. */
  sleepUntil(deadline: number): boolean | Promise<boolean>
  /** Sleep about `ms` on a plain timer (±1 ms). Resolves false when interrupted. */
  sleep(ms: number): boolean | Promise<boolean>
  /** Sleep `ms` ignoring interrupts (Go's bare `<-time.After`); only the connection closing ends it early. */
  sleepUninterruptible(ms: number): Promise<void>
  /** End the output: the rest of the chain sees END. Further input is discarded. */
  close(): void
  /** Per connection and direction; made by Toxic.newState() when the link starts or the toxic is added. */
  readonly state: unknown
}

export interface Toxic {
  /** Runs until the input ends (then calls stub.close()) or an interrupt (then returns). Never throws. */
  pipe(stub: Stub): Promise<void>
  /** Chunks the stub's input may hold before the writer waits (Go's BufferedToxic; 0 = hand-over). */
  readonly bufferSize: number
  /** Go's StatefulToxic: state that survives updates and interrupts. */
  newState?(): unknown
  /** Go's CleanupToxic: called on removal after the pipe stopped (timeout closes the stub). */
  cleanup?(stub: Stub): void
}

/** A toxic type: how the API decodes it and how the data path builds it from decoded attributes. */
export interface ToxicDefinition {
  readonly info: ToxicTypeInfo
  create(attributes: Readonly<Record<string, number>>): Toxic
}

/** An attribute as a finite number, 0 when missing (Go's zero value). */
export function attr(attributes: Readonly<Record<string, number>>, name: string): number {
  const value = attributes[name]
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}
