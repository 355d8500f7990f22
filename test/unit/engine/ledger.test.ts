import {appendFile, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {LedgerWriter, outstandingFaults, readLedger} from '../../../src/engine/ledger.js'

async function ledgerFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'rift-ledger-')), 'ledger.jsonl')
}

const planned = (faultId: string, state: unknown = {n: faultId}) =>
  ({driver: 'd', driverConfig: {}, faultId, kind: 'region-outage', state, target: 't', type: 'planned'}) as const

describe('the ledger', () => {
  it('appends one JSON line per entry, in call order, each with a timestamp', async () => {
    const file = await ledgerFile()
    const ledger = new LedgerWriter(file)
    await Promise.all([ledger.append(planned('f1') as never), ledger.append({faultId: 'f1', state: {n: 2}, type: 'injected'})])
    await ledger.close()
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    expect(lines.map((line) => line.type)).toEqual(['planned', 'injected'])
    expect(lines[0].at).toMatch(/^\d{4}-/)
  })

  it('lists outstanding faults most recent first, with the state inject returned', async () => {
    const file = await ledgerFile()
    const ledger = new LedgerWriter(file)
    for (const entry of [planned('f1'), planned('f2'), planned('f3')]) await ledger.append(entry as never)
    await ledger.append({faultId: 'f2', state: {n: 'enriched'}, type: 'injected'})
    await ledger.append({faultId: 'f3', outcome: 'reverted', type: 'reverted'})
    await ledger.append({error: 'nope', faultId: 'f1', type: 'revert-failed'})
    await ledger.close()
    const open = outstandingFaults(await readLedger(file))
    expect(open.map((fault) => [fault.faultId, fault.state])).toEqual([
      ['f2', {n: 'enriched'}],
      ['f1', {n: 'f1'}],
    ])
  })

  it('ignores a torn last line, as kill -9 during a write leaves it', async () => {
    const file = await ledgerFile()
    await writeFile(file, JSON.stringify({...planned('f1'), at: 'x'}) + '\n')
    await appendFile(file, '{"type":"injec')
    expect(outstandingFaults(await readLedger(file)).map((fault) => fault.faultId)).toEqual(['f1'])
  })

  it('refuses a ledger corrupted in the middle, naming the file and line', async () => {
    const file = await ledgerFile()
    await writeFile(file, `${JSON.stringify({...planned('f1'), at: 'x'})}\nnot json\n${JSON.stringify({...planned('f2'), at: 'x'})}\n`)
    await expect(readLedger(file)).rejects.toMatchObject({code: 'RIFT_LEDGER_CORRUPT', message: `${file}:2 is not valid JSON`})
  })
})
