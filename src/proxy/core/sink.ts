/** Where a stage or the socket reader puts chunks: the next stage, or the writer at the end of a link. */
import type {Chunk} from '../toxics/toxic.js'

export interface Sink {
  /** Takes the chunk (never drops it unless the sink has ended). false: full, wait for onSpace. */
  push(chunk: Chunk): boolean
  /** End of stream. Later pushes are discarded. */
  end(): void
  hasSpace(): boolean
  /** Called by the sink when it has room again; set by the link when it wires the chain. */
  onSpace: (() => void) | undefined
}
