/**
 * The method: steps in order. A fault is ledgered, pushed on the rollback stack, injected, verified, held
 * for its duration (or in the background) and reverted. Stops at the first error or when the run's signal
 * aborts; whatever is still held is unwound by the caller.
 */
import type {Json} from '../drivers/define.js'
import {errorMessage} from '../errors.js'
import type {FaultDecision} from './events.js'
import {findFaultDefinition, type PlannedFault} from './plan.js'
import type {FaultRecord} from './journal.js'
import {runProbe} from './probe-runner.js'
import {FaultHandle, type RollbackStack} from './rollback-stack.js'
import type {RunContext} from './run-context.js'
import {sleep} from './sleep.js'

export async function runMethod(run: RunContext, stack: RollbackStack): Promise<void> {
  const background = new Set<Promise<void>>()
  try {
    for (const step of run.plan.steps) {
      if (run.signal.aborted) return
      switch (step.type) {
        case 'wait': {
          await run.emit('onWait', {label: step.label, ms: step.ms})
          await sleep(step.ms, run.signal)
          break
        }
        case 'probe': {
          const record = await runProbe(run, step.probe, run.signal)
          run.probes.push(record)
          run.mark(`probe:${record.ok ? 'ok' : 'failed'}`, `${record.name}: ${record.detail}`)
          await run.emit('onProbe', record, 'method')
          if (record.error) {
            run.fail('RIFT_PROBE_FAILED', 'method', `probe "${record.name}" could not run: ${record.error}`)
            return
          }
          if (!record.ok) run.flag('failed', `method probe "${record.name}" deviated: ${record.detail}`)
          break
        }
        case 'fault': {
          const decision = await askBeforeFault(run, step)
          if (decision === 'abort') return
          if (decision === 'skip') break
          const handle = await injectFault(run, stack, step)
          if (!handle) return
          if (step.background) {
            const held = holdThenRevert(run, stack, handle, step.durationMs)
            background.add(held)
            void held.finally(() => background.delete(held))
          } else {
            await run.emit('onWait', {label: `holding ${step.kind} on ${step.target}`, ms: step.durationMs})
            await sleep(step.durationMs, run.signal)
            if (!run.signal.aborted && !(await revertOnTime(run, stack, handle))) return
          }
          break
        }
      }
    }
    // The method ends when its last background fault has run its course.
    await Promise.all(background)
  } finally {
    // On an early return the background holds see the aborted signal or are unwound by the caller.
    if (run.signal.aborted) await Promise.allSettled(background)
  }
}

/**
 * The game-day prompt, when there is one. A skip is on the timeline and leaves the run at best inconclusive
 * (the experiment did not run as written). An abort stops the method like an interruption: `aborted` (exit 4)
 * when nothing had been injected yet, which is what that verdict means; `interrupted` (exit 130) once a fault
 * was in, since the run was stopped part-way. An interruption while waiting wins over the answer.
 */
async function askBeforeFault(run: RunContext, step: PlannedFault): Promise<FaultDecision> {
  const ask = run.control.beforeFault
  if (!ask) return 'inject'
  let decision: FaultDecision
  try {
    decision = await untilAborted(Promise.resolve(ask(step, run.signal)), run.signal)
  } catch (error) {
    if (run.signal.aborted) return 'abort'
    run.warn(`the prompt before fault ${step.faultId} failed (${errorMessage(error)}); the method was stopped without injecting it`)
    decision = 'abort'
  }
  if (run.signal.aborted) return 'abort'
  const what = `${step.faultId} ${step.kind} on ${step.target}`
  if (decision === 'skip') {
    run.mark('fault:skipped', `${what}: skipped by the operator`)
    run.flag('inconclusive', `fault ${what} was skipped by the operator; the experiment did not run as written`)
    return 'skip'
  }
  if (decision === 'abort') {
    const injected = run.faults.some((fault) => fault.injectedAt !== null)
    run.mark('method:aborted', `the operator aborted before ${what}`)
    run.flag(injected ? 'interrupted' : 'aborted', `the operator aborted the method before fault ${what}; everything held was reverted`)
    run.control.stopMethod('operator')
    return 'abort'
  }
  return 'inject'
}

/** Rejects as soon as `signal` aborts, so an unanswered prompt never holds up an interruption. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('interrupted'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('interrupted'))
    signal.addEventListener('abort', onAbort, {once: true})
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

async function holdThenRevert(run: RunContext, stack: RollbackStack, handle: FaultHandle, ms: number): Promise<void> {
  const completed = await sleep(ms, run.signal)
  if (completed) await revertOnTime(run, stack, handle)
}

/**
 * Reverts a fault at the end of its duration. If that fails, injecting more faults on top of one that will
 * not go away is unsafe: the method stops (the final unwind retries the revert).
 */
async function revertOnTime(run: RunContext, stack: RollbackStack, handle: FaultHandle): Promise<boolean> {
  await checkStillHeld(run, handle)
  await stack.revert(handle)
  if (handle.record.revert !== 'failed') return true
  run.fail('RIFT_ROLLBACK_INCOMPLETE', 'method', `could not revert ${handle.record.id} (${handle.record.kind} on ${handle.record.target}) at the end of its duration: ${handle.record.revertError ?? 'unknown error'}; the method was stopped`)
  return false
}

/**
 * A fault that landed is verified again at the end of its duration: one that ended early (a cloud stop
 * condition fired, someone removed it) did not hold for as long as the experiment says, so the run cannot
 * pass on it.
 */
async function checkStillHeld(run: RunContext, handle: FaultHandle): Promise<void> {
  const {definition, record} = handle
  if (!definition.verify || record.landed !== true) return
  let detail: string
  try {
    const verification = await definition.verify({client: handle.client, log: run.log, signal: run.signal, state: handle.state})
    if (verification.landed) return
    detail = verification.detail
  } catch (error) {
    detail = `verification failed: ${errorMessage(error)}`
  }
  record.landed = false
  record.landedDetail = `ended before its duration: ${detail}`
  run.flag('inconclusive', `fault ${record.id} (${record.kind} on ${record.target}) did not hold for its duration: ${detail}`)
}

/** Returns the handle, or undefined when the method must stop (the inject failed). */
async function injectFault(run: RunContext, stack: RollbackStack, step: PlannedFault): Promise<FaultHandle | undefined> {
  const driver = run.registry.get(step.driver)
  const definition = findFaultDefinition(driver, step.kind)
  const client = run.clients.get(step.driver)
  const driverConfig = run.plan.drivers.find((d) => d.name === step.driver)?.config ?? {}
  const record: FaultRecord = {
    driver: step.driver,
    id: step.faultId,
    injectedAt: null,
    injectStartedAt: null,
    kind: step.kind,
    landed: null,
    landedDetail: 'not verified',
    revert: 'pending',
    revertedAt: null,
    target: step.target,
  }
  if (!definition) {
    run.fail('RIFT_INJECT_FAILED', 'method', `driver "${step.driver}" has no ${step.kind} fault`)
    return undefined
  }
  // Invariant: durable in the ledger before inject, and held on the stack before inject.
  await run.ledger.append({
    driver: step.driver,
    driverConfig,
    faultId: step.faultId,
    kind: step.kind,
    state: step.state,
    target: step.target,
    type: 'planned',
  })
  const handle = new FaultHandle(record, definition, client, step.state, driver.capabilities.revertTimeoutMs)
  run.faults.push(record)
  stack.push(handle)

  const checkpoint = async (state: Json): Promise<void> => {
    handle.state = state
    await run.ledger.append({faultId: step.faultId, state, type: 'checkpoint'})
  }
  try {
    // A fault can take effect part-way through inject (a proxy cut before the call returns): windows and the
    // failover time are measured from here, so users' first failures never precede the fault's start.
    record.injectStartedAt = new Date().toISOString()
    const enriched = await definition.inject({checkpoint, client, log: run.log, signal: run.signal, state: step.state})
    if (enriched !== undefined) handle.state = enriched
    record.injectedAt = new Date().toISOString()
    await run.ledger.append({faultId: step.faultId, state: handle.state, type: 'injected'})
    run.mark('fault:injected', `${step.faultId} ${step.kind} on ${step.target}`)
  } catch (error) {
    run.fail('RIFT_INJECT_FAILED', 'method', `${step.driver} could not inject ${step.kind} on ${step.target}: ${errorMessage(error)}`)
    return undefined
  }

  if (definition.verify) {
    try {
      const verification = await definition.verify({client, log: run.log, signal: run.signal, state: handle.state})
      record.landed = verification.landed
      record.landedDetail = verification.detail
      if (!verification.landed) run.flag('inconclusive', `fault ${step.faultId} (${step.kind} on ${step.target}) did not land: ${verification.detail}`)
    } catch (error) {
      record.landed = false
      record.landedDetail = `verification failed: ${errorMessage(error)}`
      run.flag('inconclusive', `could not verify fault ${step.faultId}: ${errorMessage(error)}`)
    }
  } else {
    run.warn(`driver "${step.driver}" cannot verify that ${step.kind} landed; the result trusts the driver`)
  }
  await run.emit('onFaultInjected', record)
  return handle
}
