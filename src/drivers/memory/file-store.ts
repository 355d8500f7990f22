/**
 * A fabric in a JSON file, so separate processes (`rift run`, a `rift rollback` after `kill -9`, a probe) see
 * the same simulated network.
 *
 * Writes go to a temporary file in the same folder, are fsynced, then renamed over the fabric and the folder is
 * fsynced: a reader sees the old fabric or the new one, never a torn one, and an acknowledged write survives a
 * crash. Updates hold `<file>.lock` (see lock.ts) so two read-modify-write cycles never lose each other's entry.
 * Reads take no lock: the rename makes them consistent.
 */
import {randomUUID} from 'node:crypto'
import {mkdir, open, readFile, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {RiftError} from '../../errors.js'
import {emptyFabric, type FabricFile, fabricFileSchema} from './fabric-file.js'
import {codeOf, withLock} from './lock.js'
import type {FabricStore} from './store.js'

export class FileStore implements FabricStore {
  /** @param location an absolute path */
  constructor(readonly location: string) {}

  async read(signal?: AbortSignal): Promise<FabricFile> {
    signal?.throwIfAborted()
    let text: string
    try {
      text = await readFile(this.location, 'utf8')
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return emptyFabric()
      throw this.#unusable(`cannot be read (${codeOf(error) ?? String(error)})`, error)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw this.#unusable('is not valid JSON', error)
    }
    const parsed = fabricFileSchema.safeParse(json)
    if (!parsed.success) throw this.#unusable(`is not a memory fabric: ${parsed.error.issues[0]?.message ?? ''}`, parsed.error)
    return parsed.data
  }

  async update<T>(mutate: (fabric: FabricFile) => T, signal?: AbortSignal): Promise<T> {
    await mkdir(dirname(this.location), {recursive: true})
    return withLock(
      `${this.location}.lock`,
      async () => {
        const fabric = await this.read(signal)
        const before = JSON.stringify(fabric)
        const result = mutate(fabric)
        // A revert of something already gone changes nothing, and writes nothing.
        if (JSON.stringify(fabric) !== before) {
          signal?.throwIfAborted()
          await this.#write(fabric)
        }
        return result
      },
      {signal},
    )
  }

  async #write(fabric: FabricFile): Promise<void> {
    const folder = dirname(this.location)
    const temporary = join(folder, `.${basename(this.location)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`)
    try {
      const handle = await open(temporary, 'w')
      try {
        await handle.writeFile(`${JSON.stringify(fabric, null, 2)}\n`)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, this.location)
    } catch (error) {
      await unlink(temporary).catch(() => undefined)
      throw error
    }
    await syncFolder(folder)
  }

  #unusable(problem: string, cause: unknown): RiftError {
    return new RiftError('RIFT_DRIVER_UNREACHABLE', `The memory fabric ${this.location} ${problem}`, {
      cause,
      suggestions: [
        `Inspect ${this.location}; it records only faults the memory driver injected`,
        `Deleting it reverts every simulated fault at once: rm ${this.location}`,
      ],
    })
  }
}

/** Makes the rename itself durable. Some platforms cannot open a folder for syncing; there the rename must do. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Best effort by design (see above).
  }
}
