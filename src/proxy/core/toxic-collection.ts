/**
 * A proxy's toxics: per direction, in insertion order (Toxiproxy's ToxicCollection). Names are unique
 * across both directions. New connections build their chains from here; live ones are changed by the proxy.
 */
import {createToxic, toxicAttributes} from '../toxics/index.js'
import type {Direction, ToxicConfig, ToxicView} from '../types.js'
import type {ToxicEntry} from './stage.js'

export class ToxicCollection {
  readonly #chains: Record<Direction, ToxicEntry[]> = {upstream: [], downstream: []}

  get(name: string): ToxicEntry | undefined {
    return this.#chains.upstream.find((e) => e.config.name === name) ?? this.#chains.downstream.find((e) => e.config.name === name)
  }

  chain(direction: Direction): readonly ToxicEntry[] {
    return this.#chains[direction]
  }

  /** Throws `toxic already exists` / `invalid toxic type` as Toxiproxy would. */
  add(config: ToxicConfig): ToxicEntry {
    if (this.get(config.name)) throw new Error('toxic already exists')
    const entry = {config: snapshot(config), toxic: createToxic(config.type, config.attributes)}
    this.#chains[config.direction].push(entry)
    return entry
  }

  /** New attributes and toxicity; name, type, stream and direction stay as created. */
  update(config: ToxicConfig): ToxicEntry {
    const current = this.get(config.name)
    if (!current) throw new Error('toxic not found')
    const merged = snapshot({...current.config, attributes: config.attributes, toxicity: config.toxicity})
    const entry = {config: merged, toxic: createToxic(merged.type, merged.attributes)}
    const chain = this.#chains[merged.direction]
    chain[chain.indexOf(current)] = entry
    return entry
  }

  remove(name: string): ToxicEntry {
    const entry = this.get(name)
    if (!entry) throw new Error('toxic not found')
    const chain = this.#chains[entry.config.direction]
    chain.splice(chain.indexOf(entry), 1)
    return entry
  }

  /** Upstream first, then downstream, each in insertion order. */
  views(): ToxicView[] {
    return [...this.#chains.upstream, ...this.#chains.downstream].map(({config}) => ({
      attributes: {...config.attributes},
      name: config.name,
      type: config.type,
      stream: config.stream,
      toxicity: config.toxicity,
    }))
  }
}

function snapshot(config: ToxicConfig): ToxicConfig {
  return {...config, attributes: toxicAttributes(config.type, config.attributes)}
}
