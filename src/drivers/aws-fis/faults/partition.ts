import {faultSchemas} from '../../../experiment/schema.js'
import {fisFault} from '../fault.js'
import {isDecline, regionTargets} from '../targets.js'
import {isolationDraft, OUTBOUND_ONLY} from './isolation.js'

/** Traffic from one region to another blocked; for `direction: both`, a second experiment in the other region. */
export const partition = fisFault({
  compile(step, {config, duration, topology}) {
    const from = regionTargets(step.from, topology, config)
    if (isDecline(from)) return from
    const to = regionTargets(step.to, topology, config)
    if (isDecline(to)) return to
    if (from.aws === to.aws) return {ok: false, reason: `${step.from} and ${step.to} are the same AWS region (${from.aws}); FIS isolates between AWS regions`}
    const drafts = [isolationDraft(from, [to], config, duration)]
    if (step.direction === 'both') drafts.push(isolationDraft(to, [from], config, duration))
    return {
      drafts,
      fidelity: [
        step.direction === 'both'
          ? `${OUTBOUND_ONLY}; this two-way partition runs two experiments, one in ${from.aws} and one in ${to.aws}`
          : `${OUTBOUND_ONLY}; one-way: only traffic from ${from.aws} to ${to.aws} is blocked (replies to connections opened from ${to.aws} are lost too)`,
      ],
    }
  },
  params: faultSchemas.partition,
  summary: 'block traffic between two regions (FIS cross-region connectivity; both ways = an experiment in each region)',
})
