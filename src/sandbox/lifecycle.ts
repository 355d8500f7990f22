/**
 * For `sandbox:` experiments: start the practice system before the run, bind the experiment to it, and
 * stop it afterwards whatever happened. Experiments without `sandbox:` pass straight through.
 */
import {RiftError, errorMessage} from '../errors.js'
import type {Experiment} from '../experiment/experiment.js'
import {sandboxSpecOf} from '../experiment/sandbox-defaults.js'
import {attachSandbox} from './attach.js'
import {startSandbox} from './index.js'

export async function withSandbox<T>(experiment: Experiment, say: (line: string) => void, body: (experiment: Experiment) => Promise<T>): Promise<T> {
  const spec = sandboxSpecOf(experiment.doc.sandbox)
  if (!spec) return body(experiment)
  say(`starting the ${spec.pattern} sandbox: ${spec.regions} regions${spec.pattern === 'sharded' ? '' : `, ${spec.replication ?? 'async'} replication`}`)
  const sandbox = await startSandbox({pattern: spec.pattern, regions: spec.regions, ...(spec.replication ? {replication: spec.replication} : {})}).catch(
    (error: unknown) => {
      throw new RiftError('RIFT_SANDBOX_FAILED', `The ${spec.pattern} sandbox did not start: ${errorMessage(error)}`, {
        cause: error,
        suggestions: [`Try it on its own: rift sandbox up --pattern ${spec.pattern}`],
      })
    },
  )
  say(`sandbox up: router ${sandbox.routerUrl}, fault proxy ${sandbox.proxyUrl}`)
  try {
    return await body(attachSandbox(experiment, sandbox))
  } finally {
    await sandbox.stop().catch((error: unknown) => say(`the sandbox did not stop cleanly: ${errorMessage(error)}`))
    say('sandbox stopped')
  }
}
