/**
 * The memory driver's client: a handle on one fabric, file-backed or in-process. It holds no cached state, so
 * every read (a probe, `verify`) sees what every other process last wrote.
 */
import {isAbsolute, join, resolve} from 'node:path'
import {z} from 'zod'

import type {DriverConnectContext} from '../define.js'
import type {FabricEntry, FabricFile} from './fabric-file.js'
import {FileStore} from './file-store.js'
import {InProcessStore, isInProcess} from './memory-store.js'
import type {FabricStore} from './store.js'

export const memoryConfigSchema = z.strictObject({
  /**
   * Path of the fabric file (default `<stateDir>/memory-fabric.json`); relative paths resolve against the
   * working directory. `:memory:` keeps the fabric in this process; `:memory:<label>` gives it a name.
   */
  fabric: z.string().min(1).optional(),
})
export type MemoryConfig = z.infer<typeof memoryConfigSchema>

export const DEFAULT_FABRIC_FILE = 'memory-fabric.json'

export class MemoryFabric {
  readonly #store: FabricStore

  constructor(store: FabricStore) {
    this.#store = store
  }

  /** The absolute fabric file, or `:memory:[label]`; ledgered by `inject` so a revert finds the same fabric. */
  get location(): string {
    return this.#store.location
  }

  /** A fresh copy of the whole fabric. */
  async snapshot(signal?: AbortSignal): Promise<FabricFile> {
    return this.#store.read(signal)
  }

  /** Adds or replaces the entry of that name (a retried inject writes the same entry again). */
  async put(entry: FabricEntry, signal?: AbortSignal): Promise<void> {
    await this.#store.update((fabric) => {
      fabric.entries[entry.name] = entry
    }, signal)
  }

  /** @returns false when there was no entry of that name. */
  async remove(name: string, signal?: AbortSignal): Promise<boolean> {
    return this.#store.update((fabric) => {
      if (!(name in fabric.entries)) return false
      delete fabric.entries[name]
      return true
    }, signal)
  }

  /** This fabric, or the one at `location` when it differs (a revert following the ledgered location). */
  at(location: string | null): MemoryFabric {
    return location === null || location === this.location ? this : openFabric(location)
  }
}

export function openFabric(location: string): MemoryFabric {
  return new MemoryFabric(isInProcess(location) ? new InProcessStore(location) : new FileStore(resolve(location)))
}

/** Opens the configured fabric and reads it once, so a corrupt fabric file fails preflight, not a revert. */
export async function connectFabric(config: MemoryConfig, context: Pick<DriverConnectContext, 'signal' | 'stateDir'>): Promise<MemoryFabric> {
  const location = config.fabric ?? join(context.stateDir, DEFAULT_FABRIC_FILE)
  const fabric = openFabric(isInProcess(location) || isAbsolute(location) ? location : resolve(location))
  await fabric.snapshot(context.signal)
  return fabric
}
