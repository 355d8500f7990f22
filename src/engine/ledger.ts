/**
 * The run's ledger: an append-only, fsynced JSON-lines file holding what is needed to revert every fault.
 * Invariant: a fault's `planned` entry (driver, driver config, state) is on disk before `inject` is called,
 * so whatever a crashed run left behind, `rift rollback` can find and revert in a fresh process.
 */
import {open, readFile, type FileHandle} from 'node:fs/promises'

import type {Json, RevertOutcome} from '../drivers/define.js'
import {RiftError} from '../errors.js'
import {redact} from './redact.js'

export type LedgerEntry =
  | {at: string; cwd: string; experiment: string; pid: number; runId: string; type: 'run-started'}
  | {
      at: string
      driver: string
      driverConfig: Record<string, unknown>
      faultId: string
      kind: string
      state: Json
      target: string
      type: 'planned'
    }
  | {at: string; faultId: string; state: Json; type: 'injected'}
  /** A state the driver ledgered in the middle of inject (a before-image, a cloud id): revert uses the latest. */
  | {at: string; faultId: string; state: Json; type: 'checkpoint'}
  | {at: string; faultId: string; outcome: RevertOutcome; type: 'reverted'}
  | {at: string; error: string; faultId: string; type: 'revert-failed'}
  | {at: string; type: 'run-ended'; verdict: string}
  /** The account a live driver's credentials belonged to when the run checked them; rollback must match it. */
  | {account: string; at: string; driver: string; type: 'identity'}

/** Distributes Omit over the union, so each entry keeps its own fields. */
type EntryInput = LedgerEntry extends infer E ? (E extends LedgerEntry ? Omit<E, 'at'> : never) : never

export class LedgerWriter {
  #handle: FileHandle | undefined
  readonly #file: string
  #queue: Promise<void> = Promise.resolve()

  constructor(file: string) {
    this.#file = file
  }

  get file(): string {
    return this.#file
  }

  /** Appends and fsyncs; resolves only once the entry is durable. Appends are serialised. */
  async append(entry: EntryInput): Promise<void> {
    const line = redact(JSON.stringify({...entry, at: new Date().toISOString()})) + '\n'
    const write = this.#queue.then(async () => {
      this.#handle ??= await open(this.#file, 'a')
      await this.#handle.appendFile(line)
      await this.#handle.sync()
    })
    this.#queue = write.catch(() => {})
    return write
  }

  async close(): Promise<void> {
    await this.#queue
    await this.#handle?.close()
    this.#handle = undefined
  }
}

export async function readLedger(file: string): Promise<LedgerEntry[]> {
  const text = await readFile(file, 'utf8')
  const entries: LedgerEntry[] = []
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    try {
      entries.push(JSON.parse(line) as LedgerEntry)
    } catch (error) {
      // A torn last line is what kill -9 mid-append leaves; everything before it is intact.
      if (index === lines.length - 1 || lines.slice(index + 1).every((rest) => rest.trim() === '')) break
      throw new RiftError('RIFT_LEDGER_CORRUPT', `${file}:${index + 1} is not valid JSON`, {
        cause: error,
        suggestions: [`Inspect ${file}; each line must be one JSON object`],
      })
    }
  }
  return entries
}

/** A planned fault with its latest known state: what inject returned if it got that far, else the planned state. */
export type OutstandingFault = Omit<Extract<LedgerEntry, {type: 'planned'}>, 'at' | 'type'>

/**
 * Faults planned but not known to be reverted, most recent first (the order to revert them in).
 * A fault whose revert failed is still outstanding.
 */
export function outstandingFaults(entries: LedgerEntry[]): OutstandingFault[] {
  const open = new Map<string, OutstandingFault>()
  for (const entry of entries) {
    switch (entry.type) {
      case 'planned': {
        const {driver, driverConfig, faultId, kind, state, target} = entry
        open.set(faultId, {driver, driverConfig, faultId, kind, state, target})
        break
      }
      case 'checkpoint':
      case 'injected': {
        const fault = open.get(entry.faultId)
        if (fault) fault.state = entry.state
        break
      }
      case 'reverted': {
        open.delete(entry.faultId)
        break
      }
      case 'identity':
      case 'revert-failed':
      case 'run-ended':
      case 'run-started': {
        break
      }
    }
  }
  return [...open.values()].reverse()
}
