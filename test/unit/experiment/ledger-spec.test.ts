/** workload.ledger takes HTTP templates or a SQL table, exactly one of the two; old files stay valid. */
import {describe, expect, it} from 'vitest'

import {parseExperiment} from '../../../src/experiment/load.js'
import {createDefaultRegistry} from '../../../src/drivers/index.js'
import {describeLedger} from '../../../src/workloads/ledger/create.js'
import {issuesOf, rejection, summarise} from './fixtures.js'

const base = `version: rift/v1
title: ledger forms
topology: {regions: [us-east]}
driver: memory
method: [{wait: 1s}]
`

const parse = (ledger: string) => parseExperiment(`${base}workload:\n  ledger: ${ledger}\n`, 'ledger.yaml', createDefaultRegistry())
const problemsOf = async (ledger: string): Promise<string[]> => summarise(issuesOf(await rejection(() => parse(ledger))))

describe('workload.ledger', () => {
  it('keeps the HTTP form as it was', () => {
    const experiment = parse('{write: "PUT http://127.0.0.1:8080/kv/{key}", read: "GET http://127.0.0.1:8080/kv/{key}"}')
    expect(experiment.doc.workload?.ledger).toEqual({read: 'GET http://127.0.0.1:8080/kv/{key}', rate: '50/s', write: 'PUT http://127.0.0.1:8080/kv/{key}'})
  })

  it('takes a SQL table, with the default table name', () => {
    const experiment = parse('{sql: {url: "postgres://app:secret@127.0.0.1:5432/app"}, rate: 20/s}')
    const ledger = experiment.doc.workload!.ledger!
    expect(ledger).toEqual({rate: '20/s', sql: {table: 'rift_ledger', url: 'postgres://app:secret@127.0.0.1:5432/app'}})
    expect(describeLedger(ledger)).toBe('INSERT INTO rift_ledger at postgres://app:***@127.0.0.1:5432/app')
  })

  it('refuses neither, both, half an HTTP form, and bad SQL fields', async () => {
    const one = async (ledger: string): Promise<string> => {
      const found = await problemsOf(ledger)
      expect(found).toHaveLength(1)
      return found[0]!
    }
    expect(await one('{rate: 10/s}')).toMatch(/^7:11 workload\.ledger: give write and read \(HTTP request templates\) or sql: \{url\}/)
    expect(await one('{write: "PUT http://x/{key}", read: "GET http://x/{key}", sql: {url: "postgres://h/db"}}')).toMatch(/workload\.ledger: give either sql or write and read, not both/)
    expect(await one('{write: "PUT http://x/{key}"}')).toMatch(/workload\.ledger: give read as well/)
    const bad = await problemsOf('{sql: {url: "mysql://h/db", table: "drop table; x"}}')
    expect(bad).toHaveLength(2)
    expect(bad.join('\n')).toMatch(/sql\.table: expected a table name/)
    expect(bad.join('\n')).toMatch(/sql\.url: expected a postgres:\/\/ URL/)
  })
})
