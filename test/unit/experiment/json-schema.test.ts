/** schemas/experiment.schema.json is generated from the zod schema; a stale copy misleads every editor. */
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {SLO_NAMES} from '../../../src/experiment/schema.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const built = existsSync(`${root}/dist/experiment/schema.js`)
if (!built) console.warn('json-schema.test.ts: the freshness check is skipped; run `npm run build` first')

describe('schemas/experiment.schema.json', () => {
  const schema = JSON.parse(readFileSync(`${root}/schemas/experiment.schema.json`, 'utf8')) as {
    $id: string
    properties: {slos: {propertyNames: {anyOf: [{enum: string[]}, {pattern: string}]}}}
    required: string[]
  }

  it('has an $id editors can fetch and names the required fields', () => {
    expect(schema.$id).toBe('https://raw.githubusercontent.com/rift-chaos/rift/main/schemas/experiment.schema.json')
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'title', 'topology', 'driver', 'method']))
    expect(schema.properties.slos.propertyNames.anyOf[0].enum).toEqual([...SLO_NAMES])
    expect(schema.properties.slos.propertyNames.anyOf[1].pattern).toBe('^probe:.+$')
  })

  it.skipIf(!built)('is up to date with src/experiment/schema.ts (scripts/generate-schema.mjs --check)', () => {
    const result = spawnSync(process.execPath, ['scripts/generate-schema.mjs', '--check'], {cwd: root, encoding: 'utf8'})
    expect(result.stderr).toContain('is up to date')
    expect(result.status).toBe(0)
  })
})
