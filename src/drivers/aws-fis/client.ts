/**
 * The driver's handle on FIS: one SDK client per AWS region (FIS is regional), all with the same endpoint
 * override and retry policy, plus the config. Nothing that matters lives here: a fresh process rebuilds it
 * from the ledgered config, and finds its experiments again by id or by tag. The SDK is imported when the
 * driver connects, never when a command merely loads the registry.
 */
import type {FisClient} from '@aws-sdk/client-fis'

import type {Identity} from '../define.js'
import {endpointFor} from '../aws/endpoint.js'
import {callerIdentity} from '../aws/identity.js'
import {configMs, type FisConfig} from './config.js'

export type FisSdk = typeof import('@aws-sdk/client-fis')

export class FisDriverClient {
  readonly #clients = new Map<string, FisClient>()

  private constructor(
    readonly config: FisConfig,
    readonly sdk: FisSdk,
  ) {}

  static async connect(config: FisConfig): Promise<FisDriverClient> {
    return new FisDriverClient(config, await import('@aws-sdk/client-fis'))
  }

  get pollMs(): number {
    return configMs(this.config.pollInterval)
  }

  get timeoutMs(): number {
    return configMs(this.config.startTimeout)
  }

  /** The FIS client for one region, created on first use. */
  fis(region: string): FisClient {
    let client = this.#clients.get(region)
    if (!client) {
      const endpoint = endpointFor('FIS', this.config.endpoints.fis)
      client = new this.sdk.FisClient({maxAttempts: this.config.maxAttempts, region, ...(endpoint ? {endpoint} : {})})
      this.#clients.set(region, client)
    }
    return client
  }

  identity(signal: AbortSignal): Promise<Identity> {
    return callerIdentity({endpoint: this.config.endpoints.sts, maxAttempts: this.config.maxAttempts, region: this.config.stsRegion}, signal)
  }

  close(): void {
    for (const client of this.#clients.values()) client.destroy()
    this.#clients.clear()
  }
}
