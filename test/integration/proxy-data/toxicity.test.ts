import {afterEach, describe, expect, it} from 'vitest'
import {cleanup, TIMING_RETRIES, connectMany, sleep, startEcho, startProxy, toxic, type Upstream} from './helpers.js'

afterEach(cleanup)

/** Opens `connections` at once, waits until every one reaches the upstream, then times one round trip each. */
async function affectedOf(echo: Upstream, port: number, connections: number): Promise<number> {
  const clients = await connectMany(port, connections, echo)
  const rtts = await Promise.all(
    clients.map(async (client) => {
      const started = performance.now()
      client.socket.write('?')
      return (await client.waitFor(1)) - started
    }),
  )
  for (const client of clients) client.socket.destroy()
  return rtts.filter((rtt) => rtt >= 80).length
}

describe('toxicity', {retry: TIMING_RETRIES}, () => {
  it('is rolled per connection and direction: 200 connections at 0.5', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    // limit_data 0 closes on the first chunk when it applies, so the count does not depend on timing.
    proxy.addToxic(toxic('limit_data', {bytes: 0}, {toxicity: 0.5}))
    const clients = await connectMany(port, 200, echo)
    for (const client of clients) client.socket.write('?')
    const outcomes = await Promise.all(clients.map((client) => Promise.race([client.waitFor(1).then(() => 'echoed'), client.closed.then(() => 'cut')])))
    const affected = outcomes.filter((outcome) => outcome === 'cut').length
    // Binomial(200, 0.5): mean 100, standard deviation 7.1; 65…135 is five deviations.
    expect(affected).toBeGreaterThan(65)
    expect(affected).toBeLessThan(135)
    for (const [i, client] of clients.entries()) expect(client.received().length).toBe(outcomes[i] === 'cut' ? 0 : 1)
  })

  it('always applies at 1 and never at 0', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 80, jitter: 0}, {toxicity: 1}))
    expect(await affectedOf(echo, port, 20)).toBe(20)
    proxy.updateToxic(toxic('latency', {latency: 80, jitter: 0}, {toxicity: 0}))
    expect(await affectedOf(echo, port, 20)).toBe(0)
  })

  it('is re-rolled when the toxic is updated on open connections', async () => {
    const echo = await startEcho()
    const {proxy, port} = await startProxy(echo.port)
    proxy.addToxic(toxic('latency', {latency: 80, jitter: 0}, {toxicity: 0}))
    const clients = await connectMany(port, 10, echo)
    proxy.updateToxic(toxic('latency', {latency: 80, jitter: 0}, {toxicity: 1}))
    await sleep(10)
    const rtts = await Promise.all(
      clients.map(async (client) => {
        const started = performance.now()
        client.socket.write('?')
        return (await client.waitFor(1)) - started
      }),
    )
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(80)
  })
})
