/**
 * Binds a `sandbox:` experiment to the sandbox the runner just started: the links get their live listen
 * and upstream addresses, the toxiproxy driver (unless told otherwise) the sandbox's own fault proxy, and
 * the sandbox probes its router.
 */
import type {Experiment} from '../experiment/experiment.js'
import type {SandboxInfo} from './types.js'

export function attachSandbox(experiment: Experiment, sandbox: SandboxInfo): Experiment {
  const links = experiment.topology.links.map((link) => {
    const live = sandbox.topology.links.find((candidate) => candidate.name === link.name)
    return live ? {...link, listen: live.listen, upstream: live.upstream} : link
  })
  const drivers: Experiment['drivers'] = {...experiment.drivers, sandbox: {...experiment.drivers.sandbox, regions: Object.fromEntries(sandbox.regions.map((region) => [region.name, region.apiUrl])), routerUrl: sandbox.routerUrl}}
  const toxiproxy = drivers.toxiproxy
  if (toxiproxy && toxiproxy.url === undefined) drivers.toxiproxy = {...toxiproxy, server: 'rift', url: sandbox.proxyUrl}
  return {...experiment, doc: {...experiment.doc, workload: bindWorkload(experiment.doc.workload, sandbox.routerUrl)}, drivers, topology: {...experiment.topology, links}}
}

/** `{{router}}` in workload targets and templates is the sandbox router's URL, known only once it runs. */
function bindWorkload(workload: Experiment['doc']['workload'], routerUrl: string): Experiment['doc']['workload'] {
  if (!workload) return workload
  const bind = (text: string): string => text.replaceAll('{{router}}', routerUrl)
  return {
    ...workload,
    ...(workload.prober ? {prober: {...workload.prober, target: bind(workload.prober.target)}} : {}),
    ...(workload.ledger ? {ledger: bindLedger(workload.ledger, bind)} : {}),
    ...(workload.load ? {load: {...workload.load, target: bind(workload.load.target)}} : {}),
  }
}

type LedgerSpec = NonNullable<NonNullable<Experiment['doc']['workload']>['ledger']>

/** Only the HTTP form has templates to bind; a SQL ledger's URL is left as written. */
function bindLedger(ledger: LedgerSpec, bind: (text: string) => string): LedgerSpec {
  const bound: LedgerSpec = {...ledger}
  if (ledger.read !== undefined) bound.read = bind(ledger.read)
  if (ledger.write !== undefined) bound.write = bind(ledger.write)
  return bound
}
