/**
 * An API error: Toxiproxy's ApiError, `{"error": message, "status": status}`. Anything else a handler
 * throws (a listen failure, an address that does not resolve) is answered as Go does: 500 with its text.
 */
export class ApiError extends Error {
  /** For a body that did not decode: the byte offset of the problem (config files report line:column). */
  readonly offset: number | undefined
  readonly status: number

  constructor(status: number, message: string, offset?: number) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.offset = offset
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(500, error instanceof Error ? error.message : String(error))
}

export const badRequest = (goError: string, offset?: number): ApiError => new ApiError(400, `bad request body: ${goError}`, offset)
export const missingField = (field: string): ApiError => new ApiError(400, `missing required field: ${field}`)
export const proxyNotFound = (): ApiError => new ApiError(404, 'proxy not found')
export const proxyExists = (): ApiError => new ApiError(409, 'proxy already exists')
export const invalidStream = (): ApiError => new ApiError(400, 'stream was invalid, can be either upstream or downstream')
export const invalidToxicType = (): ApiError => new ApiError(400, 'invalid toxic type')
export const toxicExists = (): ApiError => new ApiError(409, 'toxic already exists')
export const toxicNotFound = (): ApiError => new ApiError(404, 'toxic not found')
export const leaseNotFound = (): ApiError => new ApiError(404, 'lease not found')
