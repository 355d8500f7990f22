import {RiftError} from '../errors.js'
import {didYouMean} from '../util/suggest.js'
import type {Driver} from './define.js'

/** The drivers a run may use, by name. First-party drivers are built in; plugins add theirs. */
export class DriverRegistry {
  readonly #drivers = new Map<string, Driver>()

  constructor(drivers: Iterable<Driver> = []) {
    for (const driver of drivers) this.add(driver)
  }

  add(driver: Driver): this {
    if (this.#drivers.has(driver.name)) throw new TypeError(`A driver named "${driver.name}" is already registered`)
    this.#drivers.set(driver.name, driver)
    return this
  }

  has(name: string): boolean {
    return this.#drivers.has(name)
  }

  /** @throws RiftError RIFT_UNKNOWN_DRIVER naming the closest known driver. */
  get(name: string): Driver {
    const driver = this.#drivers.get(name)
    if (driver) return driver
    const guess = didYouMean(name, this.names())
    throw new RiftError('RIFT_UNKNOWN_DRIVER', `Unknown driver "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`, {
      suggestions: [`Use one of: ${this.names().join(', ')}`, 'List drivers with: rift drivers'],
    })
  }

  list(): Driver[] {
    return [...this.#drivers.values()]
  }

  names(): string[] {
    return [...this.#drivers.keys()]
  }
}
