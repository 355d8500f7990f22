/**
 * Binds a proxy's listener as Go's net.Listen("tcp", listen) would: same address handling, same error
 * texts (`listen tcp 127.0.0.1:8474: bind: address already in use`), the same reported address.
 */
import {createServer, type Server, type Socket} from 'node:net'
import {joinHostPort, parseListen, ProxyListenError} from '../listen-address.js'
import {SOCKET_OPTIONS} from './socket-options.js'

/** Go's syscall error strings for the errors bind can give. */
const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EAFNOSUPPORT: 'address family not supported by protocol',
  EINVAL: 'invalid argument',
  EPERM: 'operation not permitted',
}

export interface BoundListener {
  server: Server
  /** listener.Addr().String(): `127.0.0.1:35853`, `[::]:35853`, `[::1]:35853`. */
  address: string
}

function bind(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen({host, port, backlog: 4096, ipv6Only: false}, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** Listens on `listen` and hands each accepted socket, paused, to `onConnection`. */
export async function listenTcp(listen: string, onConnection: (socket: Socket) => void): Promise<BoundListener> {
  let resolved
  try {
    resolved = await parseListen(listen)
  } catch (error) {
    throw new ProxyListenError(`listen tcp: ${(error as Error).message}`)
  }
  const wildcard = resolved.ip === '' || resolved.ip === '0.0.0.0' || resolved.ip === '::'
  const server = createServer({...SOCKET_OPTIONS, pauseOnConnect: true}, onConnection)
  try {
    try {
      await bind(server, wildcard ? '::' : resolved.ip, resolved.port)
    } catch (error) {
      // A host without IPv6 cannot open the dual-stack wildcard; Go then listens on 0.0.0.0.
      if (!wildcard || (error as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT') throw error
      await bind(server, '0.0.0.0', resolved.port)
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EINVAL'
    const text = ERRNO_TEXT[code] ?? (error as Error).message.toLowerCase()
    throw new ProxyListenError(`listen tcp ${resolved.text}: bind: ${text}`, code)
  }
  const address = server.address()
  if (address === null || typeof address === 'string') throw new ProxyListenError('listen tcp: unexpected address')
  const host = address.address.startsWith('::ffff:') ? address.address.slice(7) : address.address
  return {server, address: joinHostPort(host, address.port)}
}
