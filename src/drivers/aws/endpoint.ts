/**
 * Where an AWS client sends its requests. An endpoint in the driver's config wins; then the environment, as
 * the AWS SDKs define it ("service-specific endpoints"): `AWS_ENDPOINT_URL_<SERVICE>` (the service id in
 * upper case, spaces as underscores: FIS, STS, ROUTE_53), then `AWS_ENDPOINT_URL`. Otherwise the SDK's own
 * regional endpoint. Read here rather than left to the SDK, because not every SDK version rift supports
 * reads them.
 */
export type AwsService = 'FIS' | 'ROUTE_53' | 'STS'

export function endpointFor(service: AwsService, override: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return override ?? nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL)
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
