/**
 * Proxies and toxics as Toxiproxy 2.12 writes them (spec §1.2): its field order, `"Logger":{}` for
 * byte-level parity, every attribute of the type (zeros included), `toxicity` as a float32.
 */
import {formatFloat32, formatFloat64, formatInt, goQuote} from '../go-json.js'
import {TOXIC_TYPES} from '../toxics/index.js'
import type {ProxyCore, ToxicView} from '../types.js'

export function toxicJson(toxic: ToxicView): string {
  const kinds = TOXIC_TYPES[toxic.type]?.attributes ?? {}
  const names = Object.keys(TOXIC_TYPES[toxic.type]?.attributes ?? toxic.attributes)
  const attributes = names.map((name) => {
    const value = toxic.attributes[name] ?? 0
    return `${goQuote(name)}:${kinds[name] === 'float64' ? formatFloat64(value) : formatInt(value)}`
  })
  return (
    `{"attributes":{${attributes.join(',')}},"name":${goQuote(toxic.name)},"type":${goQuote(toxic.type)},` +
    `"stream":${goQuote(toxic.stream)},"toxicity":${formatFloat32(toxic.toxicity)}}`
  )
}

export function toxicsJson(toxics: ToxicView[]): string {
  return `[${toxics.map(toxicJson).join(',')}]`
}

export function proxyJson(proxy: ProxyCore): string {
  return (
    `{"name":${goQuote(proxy.name)},"listen":${goQuote(proxy.listen)},"upstream":${goQuote(proxy.upstream)},` +
    `"enabled":${proxy.enabled ? 'true' : 'false'},"Logger":{},"toxics":${toxicsJson(proxy.toxics())}}`
  )
}
