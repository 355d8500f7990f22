import {faultSchemas} from '../../../experiment/schema.js'
import {toxiproxyFault} from '../fault.js'
import type {Operation, Stream} from '../operations.js'
import {toxicOperations} from '../operations.js'

/**
 * Every link into or out of the region. blackhole: a timeout toxic (timeout 0) on both streams swallows
 * data and holds connections open; reject: the proxy is disabled, so connects are refused and open
 * connections closed; reset: reset_peer on both streams sends RST on the first data.
 */
export const regionOutage = toxiproxyFault({
  compile(step, {faultId, runId, topology}) {
    const links = topology.links.filter((link) => link.to === step.region || link.from === step.region)
    if (step.mode === 'reject') {
      const operations: Operation[] = links.map((link) => ({kind: 'disable', listen: link.listen ?? null, proxy: link.name}))
      return {operations}
    }
    const streams: Stream[] = ['upstream', 'downstream']
    const targets = links.flatMap((link) => streams.map((stream) => ({link, stream})))
    const [type, attributes] = step.mode === 'blackhole' ? ['timeout', {timeout: 0}] : ['reset_peer', {timeout: 0}]
    return {
      fidelity: step.mode === 'reset' ? ['Toxiproxy resets with RST only connections opened after the fault; connections already open see a FIN'] : [],
      operations: toxicOperations(runId, faultId, targets, type, attributes),
    }
  },
  params: faultSchemas['region-outage'],
  summary: 'take a region off the network: every link into or out of it blackholed, refused or reset',
})
