import {RiftError} from '../errors.js'
import {didYouMean} from '../util/suggest.js'
import {type Driver, driverProblems} from './define.js'
import {DRIVER_SDK_VERSION, sdkCompatible} from './sdk-version.js'

/** Where a driver comes from: built into rift, or an oclif plugin (by package name). */
export type DriverSource = {type: 'builtin'} | {plugin: string; type: 'plugin'}

export interface DriverOrigin {
  source: DriverSource
  /** rift's version for a first-party driver; the plugin package's version for a plugin's. */
  version: string
}

export interface RegisteredDriver extends DriverOrigin {
  driver: Driver
}

/** A plugin, or one of its drivers, that could not be loaded; `rift drivers` lists these. */
export interface DriverLoadProblem {
  /** The driver's name when the problem is with one driver rather than the whole plugin. */
  driver?: string
  message: string
  plugin: string
}

/** The drivers a run may use, by name. First-party drivers and plugin drivers are registered the same way. */
export class DriverRegistry {
  readonly #drivers = new Map<string, RegisteredDriver>()
  readonly #problems: DriverLoadProblem[] = []

  constructor(drivers: Iterable<Driver> = [], origin: DriverOrigin = {source: {type: 'builtin'}, version: 'unknown'}) {
    for (const driver of drivers) this.add(driver, origin)
  }

  /**
   * Checks the driver as `defineDriver` does (a plugin may export anything) and that it was written against
   * this SDK's major version. @throws TypeError saying what is wrong.
   */
  add(driver: Driver, origin: DriverOrigin = {source: {type: 'builtin'}, version: 'unknown'}): this {
    const problems = driverProblems(driver)
    const name = typeof driver?.name === 'string' ? driver.name : '(unnamed)'
    if (problems.length > 0) throw new TypeError(`Invalid driver "${name}": ${problems.join('; ')}`)
    const sdk = driver.sdkVersion ?? DRIVER_SDK_VERSION
    if (!sdkCompatible(sdk)) {
      throw new TypeError(`Driver "${name}" was written for driver SDK ${sdk}; this rift speaks SDK ${DRIVER_SDK_VERSION}`)
    }
    const existing = this.#drivers.get(name)
    if (existing) throw new TypeError(`A driver named "${name}" is already registered (from ${describeSource(existing.source)})`)
    this.#drivers.set(name, {driver, ...origin})
    return this
  }

  /** Records a plugin or driver that failed to load, so the failure is reported rather than silently missing. */
  addProblem(problem: DriverLoadProblem): void {
    this.#problems.push(problem)
  }

  has(name: string): boolean {
    return this.#drivers.has(name)
  }

  /** @throws RiftError RIFT_UNKNOWN_DRIVER naming the closest known driver. */
  get(name: string): Driver {
    const entry = this.#drivers.get(name)
    if (entry) return entry.driver
    const guess = didYouMean(name, this.names())
    const broken = this.#problems.filter((problem) => problem.driver === undefined || problem.driver === name)
    throw new RiftError('RIFT_UNKNOWN_DRIVER', `Unknown driver "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`, {
      suggestions: [
        `Use one of: ${this.names().join(', ')}`,
        ...broken.map((problem) => `Plugin ${problem.plugin} failed to load: ${problem.message}`),
        'A driver from a plugin: rift plugins install <package>, or rift plugins link <dir>',
        'List drivers with: rift drivers',
      ],
    })
  }

  /** Where a registered driver comes from, and its version. */
  origin(name: string): DriverOrigin | undefined {
    const entry = this.#drivers.get(name)
    return entry && {source: entry.source, version: entry.version}
  }

  entries(): RegisteredDriver[] {
    return [...this.#drivers.values()]
  }

  list(): Driver[] {
    return this.entries().map((entry) => entry.driver)
  }

  names(): string[] {
    return [...this.#drivers.keys()]
  }

  problems(): DriverLoadProblem[] {
    return [...this.#problems]
  }
}

export function describeSource(source: DriverSource): string {
  return source.type === 'builtin' ? 'builtin' : `plugin ${source.plugin}`
}
