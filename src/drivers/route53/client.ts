/**
 * The driver's handle on Route 53 (a global service, signed for us-east-1) and STS. Nothing that matters
 * lives here; the SDK is imported when the driver connects.
 */
import type {Route53Client} from '@aws-sdk/client-route-53'

import type {Identity} from '../define.js'
import {endpointFor} from '../aws/endpoint.js'
import {callerIdentity} from '../aws/identity.js'
import {configMs, type Route53Config} from './config.js'

export type Route53Sdk = typeof import('@aws-sdk/client-route-53')

export class Route53DriverClient {
  private constructor(
    readonly config: Route53Config,
    readonly sdk: Route53Sdk,
    readonly route53: Route53Client,
  ) {}

  static async connect(config: Route53Config): Promise<Route53DriverClient> {
    const sdk = await import('@aws-sdk/client-route-53')
    const endpoint = endpointFor('ROUTE_53', config.endpoints.route53)
    const route53 = new sdk.Route53Client({maxAttempts: config.maxAttempts, region: 'us-east-1', ...(endpoint ? {endpoint} : {})})
    return new Route53DriverClient(config, sdk, route53)
  }

  get pollMs(): number {
    return configMs(this.config.pollInterval)
  }

  get syncTimeoutMs(): number {
    return configMs(this.config.syncTimeout)
  }

  identity(signal: AbortSignal): Promise<Identity> {
    return callerIdentity({endpoint: this.config.endpoints.sts, maxAttempts: this.config.maxAttempts, region: this.config.stsRegion}, signal)
  }

  close(): void {
    this.route53.destroy()
  }
}
