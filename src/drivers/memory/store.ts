import type {FabricFile} from './fabric-file.js'

/**
 * Where a fabric lives. Two implementations: a JSON file shared by every process that names it, and an
 * in-process fabric for `:memory:`.
 *
 * Invariants every store keeps: `read` returns a private copy (mutating it changes nothing); `update` is atomic
 * with respect to every other `update` on the same fabric, in this process or another one; a reader never sees
 * a half-written fabric.
 */
export interface FabricStore {
  /** Absolute file path, or `:memory:` / `:memory:<label>`. */
  readonly location: string
  read(signal?: AbortSignal): Promise<FabricFile>
  /** Applies `mutate` to a fresh copy and saves the result, unless `mutate` left it unchanged. */
  update<T>(mutate: (fabric: FabricFile) => T, signal?: AbortSignal): Promise<T>
}
