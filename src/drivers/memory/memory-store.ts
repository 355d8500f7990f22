import {emptyFabric, type FabricFile} from './fabric-file.js'
import type {FabricStore} from './store.js'

/**
 * `:memory:` fabrics live for the life of the process and are shared by every client in it that names the same
 * location, so a revert through a second `connect` (as the engine's rollback does) finds what the first injected.
 * `:memory:<label>` gives a test its own fabric.
 */
const fabrics = new Map<string, FabricFile>()

export const IN_PROCESS_PREFIX = ':memory:'

export function isInProcess(location: string): boolean {
  return location.startsWith(IN_PROCESS_PREFIX)
}

export class InProcessStore implements FabricStore {
  constructor(readonly location: string) {}

  async read(signal?: AbortSignal): Promise<FabricFile> {
    signal?.throwIfAborted()
    return structuredClone(fabrics.get(this.location) ?? emptyFabric())
  }

  /** Synchronous between read and write, so no other update can interleave: JavaScript's run-to-completion is the lock. */
  async update<T>(mutate: (fabric: FabricFile) => T, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    const fabric = structuredClone(fabrics.get(this.location) ?? emptyFabric())
    const result = mutate(fabric)
    fabrics.set(this.location, structuredClone(fabric))
    return result
  }
}
