/**
 * What the toxiproxy driver's tests stand on: rift's proxy server started as a library, an HTTP upstream on
 * loopback answering "ok", and a two-region topology whose client and replication links listen on free ports.
 */
import {createServer as createHttpServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {Topology} from '../../src/drivers/define.js'
import type {Link} from '../../src/experiment/schema.js'
import {startProxyServer, type ProxyServer} from '../../src/proxy/server.js'
import {freePort} from '../integration/proxy-api/helpers.js'

export interface ToxiproxyRig {
  server: ProxyServer
  topology: Topology
  close(): Promise<void>
}

export async function startToxiproxyRig(): Promise<ToxiproxyRig> {
  const server = await startProxyServer({port: 0})
  const http = createHttpServer((_, response) => response.end('ok'))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const upstream = `127.0.0.1:${(http.address() as AddressInfo).port}`
  const links: Link[] = [
    {from: 'clients', kind: 'client', listen: `127.0.0.1:${await freePort()}`, name: 'client-us-east', protocol: 'http', to: 'us-east', upstream},
    {from: 'clients', kind: 'client', listen: `127.0.0.1:${await freePort()}`, name: 'client-eu-west', protocol: 'http', to: 'eu-west', upstream},
    {from: 'us-east', kind: 'replication', listen: `127.0.0.1:${await freePort()}`, name: 'repl-us-east-eu-west', to: 'eu-west', upstream},
  ]
  return {
    async close() {
      await server.close()
      await new Promise((resolve) => http.close(resolve))
    },
    server,
    topology: {links, regions: [{name: 'us-east', services: {}, tags: {}}, {name: 'eu-west', services: {}, tags: {}}]},
  }
}
