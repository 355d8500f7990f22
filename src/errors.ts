/**
 * Every error a user can meet carries a stable `RIFT_*` code, the exit code of the design brief's table and
 * suggestions that can be copied and pasted. docs/errors.md lists every code; a test keeps the two in step.
 */
export const ExitCode = {
  Passed: 0,
  Internal: 1,
  Usage: 2,
  Failed: 3,
  Aborted: 4,
  RunError: 5,
  RollbackIncomplete: 6,
  Inconclusive: 7,
  Interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The catalogue: code → exit code. Adding a code here without a row in docs/errors.md fails a test. */
export const ERROR_CODES = {
  RIFT_INTERNAL: ExitCode.Internal,
  RIFT_USAGE: ExitCode.Usage,
  RIFT_FILE_NOT_FOUND: ExitCode.Usage,
  RIFT_FILE_UNREADABLE: ExitCode.Usage,
  RIFT_FILE_EXISTS: ExitCode.Usage,
  RIFT_EXPERIMENT_INVALID: ExitCode.Usage,
  RIFT_UNKNOWN_DRIVER: ExitCode.Usage,
  RIFT_DRIVER_CONFIG_INVALID: ExitCode.Usage,
  RIFT_FAULT_DECLINED: ExitCode.Usage,
  RIFT_RUN_NOT_FOUND: ExitCode.Usage,
  RIFT_RUN_IN_PROGRESS: ExitCode.Usage,
  RIFT_JOURNAL_NOT_FOUND: ExitCode.Usage,
  RIFT_JOURNAL_INVALID: ExitCode.Usage,
  RIFT_LIVE_OPT_IN_REQUIRED: ExitCode.Usage,
  RIFT_LIVE_NOT_CONFIRMED: ExitCode.Usage,
  RIFT_PROXY_UNSAFE_BIND: ExitCode.Usage,
  RIFT_PROXY_LISTEN_FAILED: ExitCode.Usage,
  RIFT_PROXY_CONFIG_INVALID: ExitCode.Usage,
  RIFT_LEDGER_CORRUPT: ExitCode.RunError,
  RIFT_PREFLIGHT_FAILED: ExitCode.Aborted,
  RIFT_STEADY_STATE_NOT_MET: ExitCode.Aborted,
  RIFT_GUARDRAIL_TRIPPED: ExitCode.RunError,
  RIFT_HYPOTHESIS_DEVIATED: ExitCode.Failed,
  RIFT_SLO_FAILED: ExitCode.Failed,
  RIFT_DRIVER_UNREACHABLE: ExitCode.RunError,
  RIFT_SANDBOX_FAILED: ExitCode.RunError,
  RIFT_INJECT_FAILED: ExitCode.RunError,
  RIFT_PROBE_FAILED: ExitCode.RunError,
  RIFT_FAULT_NOT_LANDED: ExitCode.Inconclusive,
  RIFT_ROLLBACK_INCOMPLETE: ExitCode.RollbackIncomplete,
  RIFT_INTERRUPTED: ExitCode.Interrupted,
} as const satisfies Record<`RIFT_${string}`, ExitCode>
export type ErrorCode = keyof typeof ERROR_CODES

export const ERRORS_DOC_URL = 'https://github.com/rift-chaos/rift/blob/main/docs/errors.md'

export interface RiftErrorOptions {
  cause?: unknown
  suggestions?: string[]
  /** Structured detail for --json consumers (for example every validation issue). */
  details?: unknown
}

export interface RiftErrorJson {
  code: ErrorCode
  details?: unknown
  exitCode: ExitCode
  message: string
  name: string
  ref: string
  suggestions: string[]
}

export class RiftError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  readonly suggestions: string[]

  constructor(code: ErrorCode, message: string, options: RiftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'RiftError'
    this.code = code
    this.suggestions = options.suggestions ?? []
    this.details = options.details
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code]
  }

  /** oclif reads `oclif.exit` for the process exit code and prints `code`, `suggestions` and `ref`. */
  get oclif(): {exit: number} {
    return {exit: this.exitCode}
  }

  get ref(): string {
    return `${ERRORS_DOC_URL}#${this.code.toLowerCase()}`
  }

  toJSON(): RiftErrorJson {
    return {
      code: this.code,
      ...(this.details === undefined ? {} : {details: this.details}),
      exitCode: this.exitCode,
      message: this.message,
      name: this.name,
      ref: this.ref,
      suggestions: this.suggestions,
    }
  }
}

export function isRiftError(error: unknown): error is RiftError {
  return error instanceof RiftError
}

/** Known errors pass through; anything else is a bug in rift and keeps its stack. */
export function toRiftError(error: unknown): RiftError {
  if (isRiftError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new RiftError('RIFT_INTERNAL', `Internal error: ${message}`, {
    cause: error,
    suggestions: ['Run again with DEBUG=rift* to see the stack, and report it as a bug in rift'],
  })
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
