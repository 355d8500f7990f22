import {z} from 'zod'

import type {Json, ProbeDefinition} from '../define.js'
import type {ToxiproxyClient} from './client.js'

/** The proxy behind a link, as the server reports it: `{enabled, listen, upstream, toxics}`. */
export const proxyProbe: ProbeDefinition<ToxiproxyClient, {link: string}> = {
  params: z.strictObject({link: z.string().min(1)}),
  async run({client, params}) {
    const response = await fetch(`${client.url}/proxies/${encodeURIComponent(params.link)}`)
    if (!response.ok) throw new Error(`proxy ${params.link} on ${client.url} answered HTTP ${response.status}`)
    const proxy = (await response.json()) as {enabled: boolean; listen: string; toxics: {name: string}[]; upstream: string}
    return {enabled: proxy.enabled, listen: proxy.listen, toxics: proxy.toxics.map((toxic) => toxic.name), upstream: proxy.upstream} satisfies Json
  },
  summary: 'the proxy that carries a link: enabled, listen, upstream and the names of its toxics',
}
