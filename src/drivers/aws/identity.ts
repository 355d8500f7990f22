/**
 * Who the credentials of the standard AWS chain belong to: STS GetCallerIdentity, which needs no
 * permission. The SDK is loaded only when asked, so commands that never touch AWS stay fast to start.
 */
import type {Identity} from '../define.js'
import {endpointFor} from './endpoint.js'

export interface StsOptions {
  endpoint?: string | undefined
  maxAttempts: number
  region: string
}

export async function callerIdentity(options: StsOptions, signal: AbortSignal): Promise<Identity> {
  const {GetCallerIdentityCommand, STSClient} = await import('@aws-sdk/client-sts')
  const endpoint = endpointFor('STS', options.endpoint)
  const client = new STSClient({maxAttempts: options.maxAttempts, region: options.region, ...(endpoint ? {endpoint} : {})})
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}), {abortSignal: signal})
    if (!answer.Account) throw new Error('STS GetCallerIdentity returned no account')
    return {account: answer.Account, principal: answer.Arn ?? 'unknown principal'}
  } finally {
    client.destroy()
  }
}
