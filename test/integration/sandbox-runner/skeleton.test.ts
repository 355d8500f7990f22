import {describe, expect, it} from 'vitest'

import {startSandbox} from '../../../src/sandbox/index.js'
import {sandboxSkeleton} from '../../../src/sandbox/skeleton.js'
import {PATTERNS} from '../../../src/sandbox/types.js'

describe('the sandbox skeleton used to validate sandbox: experiments', () => {
  it.each(PATTERNS)('names the same regions and links as a running %s sandbox', async (pattern) => {
    const sandbox = await startSandbox({pattern, regions: 3})
    try {
      const skeleton = sandboxSkeleton({pattern, regions: 3})
      expect(skeleton.regions).toEqual(sandbox.topology.regions)
      const shape = (links: {from: string; kind: string; name: string; to: string}[]) =>
        links.map(({from, kind, name, to}) => ({from, kind, name, to})).sort((a, b) => a.name.localeCompare(b.name))
      expect(shape(skeleton.links)).toEqual(shape(sandbox.topology.links))
    } finally {
      await sandbox.stop()
    }
  })
})
