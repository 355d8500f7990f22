/**
 * What the cluster looks like, read from the experiment file itself so that the setup and the experiment can
 * never disagree: the region tagged `postgres: primary` and the one tagged `postgres: standby` (each with a
 * `postgres` service, the server's real address), the links through the fault proxy (their `listen` and
 * `upstream`), the proxy's API (`driver: {toxiproxy: {url}}`), and the clients' endpoint (the SQL ledger's URL).
 */
import {readFile} from 'node:fs/promises'

import {parse} from 'yaml'

import {experimentSchema, type ExperimentDocument, type Link} from '../experiment/schema.js'

export interface Address {
  host: string
  port: number
}

export interface ProxySpec {
  name: string
  listen: string
  upstream: string
}

export interface PgLayout {
  proxyUrl: string
  primary: Address & {region: string}
  standby: Address & {region: string}
  /** The topology's links, each a proxy on the fault proxy. */
  links: ProxySpec[]
  /** Where the standby connects to stream from the primary: the replication link's listener. */
  replicationVia: Address
  /** The clients' way in, outside any region (think DNS name or VIP): the failover step repoints it. */
  endpoint: ProxySpec
  /** The client link into each region, by region name: the endpoint's upstream before and after failover. */
  clientListen: Record<string, string>
  sqlUrl: string
  table: string
}

/** The proxy that stands for the clients' endpoint; `pg-cluster failover --endpoint` names it. */
export const ENDPOINT_PROXY = 'pg-endpoint'

export function parseAddress(text: string, what: string): Address {
  const match = /^(.*):(\d{1,5})$/.exec(text)
  if (match === null) throw new Error(`${what}: expected host:port, got ${JSON.stringify(text)}`)
  return {host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2])}
}

export async function loadLayout(file: string): Promise<PgLayout> {
  const parsed = experimentSchema.safeParse(parse(await readFile(file, 'utf8')))
  if (!parsed.success) throw new Error(`${file}: not a valid experiment (check it with rift validate): ${parsed.error.issues[0]?.message ?? ''}`)
  return layoutOf(parsed.data, file)
}

export function layoutOf(doc: ExperimentDocument, file: string): PgLayout {
  const fail = (message: string): never => {
    throw new Error(`${file}: ${message} (see docs/postgres.md)`)
  }
  const regions = doc.topology.regions.flatMap((region) => (typeof region === 'string' ? [] : [region]))
  const role = (wanted: 'primary' | 'standby'): Address & {region: string} => {
    const region = regions.find((candidate) => candidate.tags?.postgres === wanted) ?? fail(`no region is tagged postgres: ${wanted}`)
    const service = region.services?.postgres ?? fail(`region ${region.name} has no postgres service (services: {postgres: host:port})`)
    return {...parseAddress(service, `region ${region.name} services.postgres`), region: region.name}
  }
  const primary = role('primary')
  const standby = role('standby')
  const proxied = doc.topology.links.filter((link): link is Link & {listen: string; upstream: string} => link.listen !== undefined && link.upstream !== undefined)
  const replication = proxied.find((link) => link.kind === 'replication' && link.from === standby.region && link.to === primary.region)
  if (!replication) fail(`no replication link from ${standby.region} (the standby connects) to ${primary.region} with listen and upstream`)
  const clientListen: Record<string, string> = {}
  for (const link of proxied) if (link.kind === 'client' && link.from === 'clients') clientListen[link.to] = link.listen
  if (clientListen[primary.region] === undefined) fail(`no client link from clients to ${primary.region} with listen and upstream`)
  if (clientListen[standby.region] === undefined) fail(`no client link from clients to ${standby.region} with listen and upstream`)
  const toxiproxy = typeof doc.driver === 'object' ? doc.driver.toxiproxy : undefined
  const proxyUrl = typeof toxiproxy?.url === 'string' ? toxiproxy.url : fail('driver: {toxiproxy: {url}} must name the fault proxy the cluster is set up behind')
  const sql = doc.workload?.ledger?.sql ?? fail('workload.ledger.sql.url must say where clients connect')
  const url = new URL(sql.url)
  const endpointListen = `${url.hostname}:${url.port || '5432'}`
  return {
    clientListen,
    endpoint: {listen: endpointListen, name: ENDPOINT_PROXY, upstream: clientListen[primary.region]!},
    links: proxied.map((link) => ({listen: link.listen, name: link.name, upstream: link.upstream})),
    primary,
    proxyUrl: proxyUrl.replace(/\/$/, ''),
    replicationVia: parseAddress(replication!.listen, `link ${replication!.name} listen`),
    sqlUrl: sql.url,
    standby,
    table: sql.table,
  }
}
