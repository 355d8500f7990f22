/**
 * The faults a run holds, reverted last in first out on every path out of the run. Invariants:
 * - a handle is pushed only after its `planned` ledger entry is durable and before `inject` is called, so
 *   a fault whose inject threw part-way is still reverted, and a fault never reached is never reverted;
 * - `unwindAll` never throws and attempts every handle, whatever the others did;
 * - every outcome lands in the journal record and the ledger.
 */
import type {FaultDefinition, Json, Logger, RevertOutcome} from '../drivers/define.js'
import {errorMessage} from '../errors.js'
import type {FaultRecord} from './journal.js'
import type {LedgerWriter} from './ledger.js'

export const REVERT_TIMEOUT_MS = 30_000

export class FaultHandle {
  #inFlight: Promise<RevertOutcome> | undefined
  #outcome: RevertOutcome | undefined

  constructor(
    readonly record: FaultRecord,
    readonly definition: FaultDefinition<unknown, unknown, Json>,
    readonly client: unknown,
    public state: Json,
    /** The driver's own limit for one revert, when it declares one. */
    readonly revertTimeoutMs?: number,
  ) {}

  get reverted(): boolean {
    return this.#outcome !== undefined
  }

  /**
   * Repeated and concurrent calls share one attempt; a failure leaves the handle retryable. Each attempt
   * gets a signal of its own, never the run's: after Ctrl-C the run's signal is already aborted.
   */
  revert(log: Logger, timeoutMs: number): Promise<RevertOutcome> {
    if (this.#outcome) return Promise.resolve(this.#outcome)
    this.#inFlight ??= this.#attempt(log, timeoutMs).finally(() => {
      this.#inFlight = undefined
    })
    return this.#inFlight
  }

  async #attempt(log: Logger, timeoutMs: number): Promise<RevertOutcome> {
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort()
        reject(new Error(`revert did not finish within ${timeoutMs} ms`))
      }, timeoutMs)
    })
    try {
      const revert = this.definition.revert({client: this.client, log, signal: controller.signal, state: this.state})
      this.#outcome = await Promise.race([revert, timeout])
      return this.#outcome
    } finally {
      clearTimeout(timer)
    }
  }
}

export interface RollbackHooks {
  ledger: LedgerWriter
  log: Logger
  onReverted(record: FaultRecord): Promise<void>
  revertTimeoutMs?: number
}

export class RollbackStack {
  readonly #handles: FaultHandle[] = []
  readonly #hooks: RollbackHooks

  constructor(hooks: RollbackHooks) {
    this.#hooks = hooks
  }

  push(handle: FaultHandle): void {
    this.#handles.push(handle)
  }

  /** Handles not yet reverted, most recent first. */
  held(): FaultHandle[] {
    return this.#handles.filter((handle) => !handle.reverted).reverse()
  }

  /** Reverts one handle (a fault whose duration ended). Never throws; the outcome is on the record. */
  async revert(handle: FaultHandle): Promise<void> {
    const {record} = handle
    try {
      const outcome = await handle.revert(this.#hooks.log, this.#hooks.revertTimeoutMs ?? handle.revertTimeoutMs ?? REVERT_TIMEOUT_MS)
      record.revert = outcome
      delete record.revertError
      record.revertedAt = new Date().toISOString()
      await this.#ledger({faultId: record.id, outcome, type: 'reverted'})
    } catch (error) {
      record.revert = 'failed'
      record.revertError = errorMessage(error)
      await this.#ledger({error: record.revertError, faultId: record.id, type: 'revert-failed'})
    }
    try {
      await this.#hooks.onReverted(record)
    } catch {
      // A reporter's failure is recorded by the emitter; it must not stop the unwind.
    }
  }

  /** Reverts everything still held, last in first out. Never throws. Returns whether all reverts succeeded. */
  async unwindAll(): Promise<boolean> {
    for (const handle of this.held()) await this.revert(handle)
    return this.#handles.every((handle) => handle.reverted)
  }

  async #ledger(entry: Parameters<LedgerWriter['append']>[0]): Promise<void> {
    try {
      await this.#hooks.ledger.append(entry)
    } catch (error) {
      this.#hooks.log.warn(`could not write the ledger: ${errorMessage(error)}`)
    }
  }
}
