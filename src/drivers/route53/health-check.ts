/**
 * Draining by health check: set `Inverted` on the region's health check, so Route 53 considers it
 * unhealthy and fails over or shifts weight away at its next evaluation. Never `Disabled`: a disabled
 * check is always healthy. Every update passes the HealthCheckVersion just read (optimistic concurrency):
 * a concurrent change is seen as HealthCheckVersionMismatch and re-read, never overwritten blindly.
 * The before-image (Inverted and the version) is ledgered before the update.
 */
import type {HealthCheck} from '@aws-sdk/client-route-53'

import type {FaultContext, Json, RevertOutcome, Verification} from '../define.js'
import {isAwsError} from '../aws/errors.js'
import type {Route53DriverClient} from './client.js'

export interface HealthCheckState {
  [key: string]: Json
  /** Inverted and version as read just before rift changed it; null until then. */
  before: {inverted: boolean; version: number} | null
  healthCheckId: string
  method: 'invert-health-check'
  /** The version rift's own update produced. */
  version: number | null
}

/** A version mismatch is retried this many times, re-reading each time. */
const VERSION_RETRIES = 3

async function read(client: Route53DriverClient, id: string, signal: AbortSignal): Promise<HealthCheck> {
  const {HealthCheck: check} = await client.route53.send(new client.sdk.GetHealthCheckCommand({HealthCheckId: id}), {abortSignal: signal})
  if (!check?.HealthCheckConfig) throw new Error(`Route 53 returned no configuration for health check ${id}`)
  return check
}

/** Sets Inverted with the version of a fresh read; re-reads on a version mismatch. Returns the new version. */
async function setInverted(client: Route53DriverClient, id: string, inverted: boolean, signal: AbortSignal, check: HealthCheck): Promise<number> {
  let current = check
  for (let attempt = 0; ; attempt += 1) {
    try {
      const {HealthCheck: updated} = await client.route53.send(
        new client.sdk.UpdateHealthCheckCommand({HealthCheckId: id, HealthCheckVersion: current.HealthCheckVersion ?? 0, Inverted: inverted}),
        {abortSignal: signal},
      )
      return updated?.HealthCheckVersion ?? (current.HealthCheckVersion ?? 0) + 1
    } catch (error) {
      if (!isAwsError(error, 'HealthCheckVersionMismatch') || attempt >= VERSION_RETRIES) throw error
      current = await read(client, id, signal)
      if (current.HealthCheckConfig?.Inverted === inverted) return current.HealthCheckVersion ?? 0
    }
  }
}

export async function invertHealthCheck({checkpoint, client, signal, state}: FaultContext<Route53DriverClient, HealthCheckState>): Promise<HealthCheckState> {
  const check = await read(client, state.healthCheckId, signal)
  const config = check.HealthCheckConfig!
  if (config.Disabled) {
    throw new Error(`health check ${state.healthCheckId} is Disabled: Route 53 treats it as healthy whether inverted or not, so draining through it would not work`)
  }
  if (config.Inverted) {
    throw new Error(`health check ${state.healthCheckId} is already inverted (by a previous run that was not rolled back? try: rift rollback --all)`)
  }
  const next: HealthCheckState = {...state, before: {inverted: false, version: check.HealthCheckVersion ?? 0}}
  await checkpoint?.(next)
  signal.throwIfAborted()
  return {...next, version: await setInverted(client, state.healthCheckId, true, signal, check)}
}

export async function verifyHealthCheck({client, signal, state}: FaultContext<Route53DriverClient, HealthCheckState>): Promise<Verification> {
  const check = await read(client, state.healthCheckId, signal)
  if (!check.HealthCheckConfig?.Inverted) return {detail: `health check ${state.healthCheckId} is not inverted (version ${check.HealthCheckVersion})`, landed: false}
  if (check.HealthCheckConfig.Disabled) return {detail: `health check ${state.healthCheckId} is inverted but Disabled, so Route 53 treats it as healthy`, landed: false}
  return {detail: `health check ${state.healthCheckId} inverted (version ${check.HealthCheckVersion}): Route 53 now considers the region unhealthy`, landed: true}
}

export async function restoreHealthCheck({client, log, signal, state}: FaultContext<Route53DriverClient, HealthCheckState>): Promise<RevertOutcome> {
  if (!state.before) return 'already-reverted' // the before-image is ledgered before any change: none, no change
  let check: HealthCheck
  try {
    check = await read(client, state.healthCheckId, signal)
  } catch (error) {
    if (isAwsError(error, 'NoSuchHealthCheck')) return 'already-reverted'
    throw error
  }
  if (Boolean(check.HealthCheckConfig?.Inverted) === state.before.inverted) return 'already-reverted'
  if (state.version !== null && check.HealthCheckVersion !== state.version) {
    log.warn(`health check ${state.healthCheckId} changed since rift inverted it (version ${state.version} → ${check.HealthCheckVersion}); rift restores Inverted only and leaves the other changes`)
  }
  await setInverted(client, state.healthCheckId, state.before.inverted, signal, check)
  const after = await read(client, state.healthCheckId, signal)
  if (Boolean(after.HealthCheckConfig?.Inverted) !== state.before.inverted) throw new Error(`health check ${state.healthCheckId} is still inverted after the update`)
  return 'reverted'
}
