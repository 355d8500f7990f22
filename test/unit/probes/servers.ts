/** Real loopback servers for the probe tests; every one listens on 127.0.0.1, port 0. */
import {createServer as createHttpServer, type Server} from 'node:http'
import {createServer as createTcpServer, type AddressInfo} from 'node:net'

export interface Running {
  close(): Promise<void>
  port: number
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/**
 * /health → 200 "ok: healthy"; /down → 503; /slow → never answers; /echo → the method, a header and the body;
 * /moved → 302 to /health.
 */
export async function startHttpServer(): Promise<Running> {
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      switch (request.url ?? '') {
        case '/health': {
          response.end('ok: healthy')
          return
        }
        case '/down': {
          response.writeHead(503).end('unavailable')
          return
        }
        case '/slow': {
          return
        }
        case '/echo': {
          response.end(`${request.method} ${String(request.headers['x-probe'])} ${Buffer.concat(chunks).toString()}`)
          return
        }
        case '/moved': {
          response.writeHead(302, {location: '/health'}).end()
          return
        }
        default: {
          response.writeHead(404).end()
        }
      }
    })
  })
  const port = await listen(server)
  return {
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    port,
  }
}

export async function startTcpServer(): Promise<Running> {
  const sockets = new Set<import('node:net').Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
  })
  const port = await listen(server)
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
    port,
  }
}

/** A loopback port nothing listens on: bound, then released. */
export async function refusedPort(): Promise<number> {
  const server = createTcpServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}
