/**
 * Runs one probe of any form and turns its outcome into a journal record. Built-in probes (http, tcp,
 * command) need no driver; `<driver>.<probe>` probes go through the connected driver's client, and the
 * engine, not the probe, compares the value with the tolerance.
 */
import {errorMessage} from '../errors.js'
import type {Probe} from '../experiment/schema.js'
import {runCommandProbe} from '../probes/command.js'
import {runHttpProbe} from '../probes/http.js'
import type {ProbeOutcome} from '../probes/outcome.js'
import {runTcpProbe} from '../probes/tcp.js'
import {checkTolerance} from '../probes/tolerance.js'
import type {ProbeRecord} from './journal.js'
import {probeLabel} from './plan.js'
import type {RunContext} from './run-context.js'

export async function runProbe(run: RunContext, probe: Probe, signal: AbortSignal): Promise<ProbeRecord> {
  const at = new Date().toISOString()
  const started = performance.now()
  const name = probeLabel(probe)
  try {
    const outcome = await dispatch(run, probe, signal)
    return {at, detail: outcome.detail, durationMs: outcome.durationMs, name, ok: outcome.ok, value: outcome.value}
  } catch (error) {
    const message = errorMessage(error)
    return {at, detail: message, durationMs: performance.now() - started, error: message, name, ok: false, value: null}
  }
}

async function dispatch(run: RunContext, probe: Probe, signal: AbortSignal): Promise<ProbeOutcome> {
  if ('http' in probe) return runHttpProbe(probe.http, signal)
  if ('tcp' in probe) return runTcpProbe(probe.tcp, signal)
  if ('command' in probe) return runCommandProbe(probe.command, signal)
  const [driverName, probeName] = probe.probe.split('.', 2) as [string, string]
  const driver = run.registry.get(probe.driver ?? driverName)
  const definition = driver.probes[probeName]
  if (!definition) throw new Error(`driver "${driver.name}" has no probe "${probeName}"`)
  const client = run.clients.get(driver.name)
  if (client === undefined) throw new Error(`driver "${driver.name}" is not connected`)
  const started = performance.now()
  const params = definition.params.parse(probe.params)
  const value = await definition.run({client, log: run.log, params, signal})
  const durationMs = performance.now() - started
  if (!probe.expect) return {detail: `value ${JSON.stringify(value)}`, durationMs, ok: true, value}
  const check = checkTolerance(value, probe.expect)
  return {detail: check.detail, durationMs, ok: check.ok, value}
}

/** Runs probes in order; returns the records. A probe that could not run has `error` set. */
export async function runProbes(run: RunContext, probes: Probe[], phase: 'steady-state-before' | 'steady-state-after' | 'method'): Promise<ProbeRecord[]> {
  const records: ProbeRecord[] = []
  for (const probe of probes) {
    const record = await runProbe(run, probe, run.signal)
    records.push(record)
    run.mark(`probe:${record.ok ? 'ok' : 'failed'}`, `${record.name}: ${record.detail}`)
    await run.emit('onProbe', record, phase)
  }
  return records
}
