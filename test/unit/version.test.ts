import {readFileSync} from 'node:fs'
import {expect, it} from 'vitest'

import {RIFT_VERSION} from '../../src/engine/run-context.js'

it('the version journals record is the one in package.json', () => {
  const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  expect(RIFT_VERSION).toBe(version)
})
