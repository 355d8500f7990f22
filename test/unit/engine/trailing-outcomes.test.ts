import {describe, expect, it} from 'vitest'

import {TrailingOutcomes} from '../../../src/engine/trailing-outcomes.js'

describe('TrailingOutcomes', () => {
  it('counts only requests sent inside the window, whatever order they completed in', () => {
    const trail = new TrailingOutcomes()
    expect(trail.since(0)).toBeNull()
    // Completion order: a slow request sent at 100 ms completes after faster ones sent later.
    for (const [at, ok] of [[300, true], [500, false], [100, false], [900, true]] as const) trail.add(at, ok)
    expect(trail.since(0)).toEqual({failed: 2, samples: 4})
    expect(trail.since(200)).toEqual({failed: 1, samples: 3})
    trail.add(1000, false)
    expect(trail.since(600)).toEqual({failed: 1, samples: 2})
    expect(trail.since(2000)).toBeNull()
  })
})
