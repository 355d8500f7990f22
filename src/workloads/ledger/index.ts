/** The write-ledger workload: a pluggable adapter, the writer and the checker. */
export {createHttpLedgerAdapter, expandTemplate, parseRequestTemplate, valueFromBody, type HttpLedgerAdapterOptions, type LedgerAdapter, type LedgerRead, type RequestTemplate} from './adapter.js'
export {checkLedger, classifyLedger, LEDGER_CLASSES, readAll, type CheckLedgerOptions, type ClassifyOptions, type KeyRead, type KeyVerdict, type LedgerClass, type LedgerReport, type RpoWindow} from './checker.js'
export {createLedgerAdapter, describeLedger} from './create.js'
export {decodePayload, encodePayload, type LedgerPayload} from './payload.js'
export {createSqlLedgerAdapter, quoteTable, redactUrl, type SqlLedgerAdapter, type SqlLedgerAdapterOptions} from './sql-adapter.js'
export {parseRate, settleWithin, startLedgerWriter, type LedgerWriter, type LedgerWriterOptions, type WriteAttempt, type WriteOutcome} from './writer.js'
