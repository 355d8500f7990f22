/** AWS SDK errors by name (`ResourceNotFoundException`, `HealthCheckVersionMismatch`), never by message. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error)
  return name !== undefined && names.includes(name)
}

/** `ServiceQuotaExceededException (HTTP 402): You have reached …` for messages and the journal. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
  const name = error.name && error.name !== 'Error' ? `${error.name}${status ? ` (HTTP ${status})` : ''}: ` : ''
  return `${name}${error.message}`
}
