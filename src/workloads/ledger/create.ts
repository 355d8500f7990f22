/** Chooses the write ledger's adapter from the experiment's `workload.ledger`: HTTP templates or SQL. */
import {RiftError} from '../../errors.js'
import type {LedgerSpec} from '../../experiment/schema.js'
import {createHttpLedgerAdapter, type LedgerAdapter} from './adapter.js'
import {createSqlLedgerAdapter, redactUrl} from './sql-adapter.js'

/** The schema guarantees exactly one form; this still refuses a half-filled spec built in code. */
export function createLedgerAdapter(spec: LedgerSpec): LedgerAdapter {
  if (spec.sql !== undefined) return createSqlLedgerAdapter({table: spec.sql.table, url: spec.sql.url})
  if (spec.write !== undefined && spec.read !== undefined) return createHttpLedgerAdapter({read: spec.read, write: spec.write})
  throw new RiftError('RIFT_USAGE', 'workload.ledger: give write and read (HTTP request templates) or sql: {url}', {suggestions: ['ledger: {sql: {url: postgres://postgres@127.0.0.1:5432/postgres}}']})
}

/** How the ledger writes, for the timeline: the write template, or the table and the URL without its password. */
export function describeLedger(spec: LedgerSpec): string {
  if (spec.sql !== undefined) return `INSERT INTO ${spec.sql.table} at ${redactUrl(spec.sql.url)}`
  return spec.write ?? '(no write template)'
}
