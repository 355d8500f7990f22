import {afterEach, expect, it} from 'vitest'
import {cleanup, connectClient, startEcho, startProxy, until} from './helpers.js'

afterEach(cleanup)

it('serves 1,000 concurrent connections, each echoing its own bytes', {timeout: 60_000}, async () => {
  const echo = await startEcho()
  const {proxy, port} = await startProxy(echo.port)
  const clients = await Promise.all(Array.from({length: 1000}, () => connectClient(port)))
  await until(() => echo.sockets.length === 1000, 20_000)
  expect(proxy.stats().connections).toBe(1000)
  const messages = clients.map((_, i) => Buffer.from(`connection ${String(i).padStart(4, '0')} `.repeat(20)))
  clients.forEach((client, i) => client.socket.write(messages[i]!))
  await Promise.all(clients.map((client, i) => client.waitFor(messages[i]!.length)))
  clients.forEach((client, i) => expect(client.received().equals(messages[i]!)).toBe(true))
  for (const client of clients) client.socket.end()
  await until(() => proxy.stats().connections === 0, 20_000)
})
