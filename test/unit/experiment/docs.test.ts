/** docs/experiment-format.md shows a complete example; it must stay valid as the format changes. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {createDefaultRegistry} from '../../../src/drivers/index.js'
import {parseExperiment} from '../../../src/experiment/load.js'

const doc = readFileSync(new URL('../../../docs/experiment-format.md', import.meta.url), 'utf8')

describe('docs/experiment-format.md', () => {
  it('has a complete example that validates against the built-in drivers', () => {
    const example = /## A complete example\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(example).toBeDefined()
    const experiment = parseExperiment(example!, 'docs/experiment-format.md', createDefaultRegistry())
    expect(experiment.doc.method.length).toBeGreaterThan(3)
  })
})
