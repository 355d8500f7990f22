import {describe, expect, it} from 'vitest'

import {compareObjective, formatObjective, parseObjective, parseSloObjective, SLO_EXAMPLES, SLO_UNITS} from '../../../src/measure/objective.js'
import {OBJECTIVE_PATTERN, SLO_NAMES} from '../../../src/experiment/schema.js'

describe('parseObjective', () => {
  it.each([
    ['<= 10s', {op: '<=', unit: 'ms', value: 10_000}],
    ['< 300ms', {op: '<', unit: 'ms', value: 300}],
    ['<=1m30s', {op: '<=', unit: 'ms', value: 90_000}],
    ['== 0', {op: '==', unit: 'count', value: 0}],
    ['!= 0', {op: '!=', unit: 'count', value: 0}],
    ['>= 99.5%', {op: '>=', unit: 'percent', value: 99.5}],
    ['  >  90 %  ', {op: '>', unit: 'percent', value: 90}],
    ['> 2', {op: '>', unit: 'count', value: 2}],
  ])('reads %j', (text, objective) => {
    expect(parseObjective(text)).toEqual({objective, ok: true})
  })

  it.each([
    ['', 'expected an objective such as "<= 10s", "== 0" or ">= 99.5%", got an empty string'],
    ['10s', 'start with a comparison (<, <=, ==, !=, >=, >), for example "<= 10s", got "10s"'],
    ['= 0', 'use "==" to compare for equality, got "= 0"'],
    ['=< 5s', 'write "<=" rather than "=<", got "=< 5s"'],
    ['<= fast', 'expected an objective such as "<= 10s", "== 0" or ">= 99.5%", got "<= fast"'],
    ['<= -5s', 'an objective cannot be negative, got "<= -5s"'],
    ['>= 101%', 'a percentage is at most 100%, got ">= 101%"'],
    ['>= abc%', 'expected an objective such as "<= 10s", "== 0" or ">= 99.5%", got ">= abc%"'],
    ['about 5', 'expected an objective such as "<= 10s", "== 0" or ">= 99.5%", got "about 5"'],
  ])('refuses %j with a reason', (text, reason) => {
    expect(parseObjective(text)).toEqual({ok: false, reason})
  })
})

describe('parseSloObjective', () => {
  it('accepts each SLO in its own unit, and its documented example', () => {
    for (const name of SLO_NAMES) {
      const parsed = parseSloObjective(name, SLO_EXAMPLES[name])
      expect(parsed.ok && parsed.objective.unit, name).toBe(SLO_UNITS[name])
    }
  })

  it('accepts a bare zero for any unit', () => {
    expect(parseSloObjective('rpo', '== 0')).toEqual({objective: {op: '==', unit: 'ms', value: 0}, ok: true})
    expect(parseSloObjective('errorRate', '== 0')).toEqual({objective: {op: '==', unit: 'percent', value: 0}, ok: true})
  })

  it('refuses a unit that does not fit the SLO', () => {
    expect(parseSloObjective('failoverTime', '>= 99%')).toEqual({
      ok: false,
      reason: 'failoverTime is a duration: expected an objective such as "<= 30s", got a percentage in ">= 99%"',
    })
    expect(parseSloObjective('availability', '>= 10s')).toEqual({
      ok: false,
      reason: 'availability is a percentage: expected an objective such as ">= 99.5%", got a duration in ">= 10s"',
    })
    expect(parseSloObjective('dataLoss', '<= 5s')).toEqual({
      ok: false,
      reason: 'dataLoss is a count: expected an objective such as "== 0", got a duration in "<= 5s"',
    })
    expect(parseSloObjective('p99', '<= 300')).toEqual({
      ok: false,
      reason: 'p99 is a duration: expected an objective such as "<= 300ms", got a number without a unit in "<= 300"',
    })
  })

  it('offers the operator the SLO is usually written with', () => {
    expect(parseSloObjective('availability', '99%')).toEqual({
      ok: false,
      reason: 'start with a comparison (<, <=, ==, !=, >=, >), for example ">= 99%", got "99%"',
    })
  })
})

describe('compareObjective', () => {
  it.each([
    ['<= 10s', 10_000, true],
    ['<= 10s', 10_001, false],
    ['< 300ms', 300, false],
    ['< 300ms', 299, true],
    ['== 0', 0, true],
    ['== 0', 1, false],
    ['!= 0', 1, true],
    ['>= 99.5%', 99.5, true],
    ['>= 99.5%', 99.4, false],
    ['> 90%', 90, false],
  ] as const)('%s with %d observed → %s', (text, observed, met) => {
    const parsed = parseObjective(text)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(compareObjective(parsed.objective, observed)).toBe(met)
  })
})

describe('formatObjective', () => {
  it('writes objectives back in their units', () => {
    const format = (text: string) => {
      const parsed = parseObjective(text)
      if (!parsed.ok) throw new Error(parsed.reason)
      return formatObjective(parsed.objective)
    }
    expect(format('<=1m30s')).toBe('<= 1m30s')
    expect(format('>= 99.5%')).toBe('>= 99.5%')
    expect(format('== 0')).toBe('== 0')
  })
})

describe('OBJECTIVE_PATTERN (the JSON Schema hint for editors)', () => {
  const pattern = new RegExp(OBJECTIVE_PATTERN)

  it('matches what parseObjective reads, and not what it refuses', () => {
    for (const text of ['<= 10s', '< 300ms', '<=1m30s', '== 0', '!= 0', '>= 99.5%', '  >  90 %  ', '> 2']) {
      expect(parseObjective(text).ok, text).toBe(true)
      expect(pattern.test(text), text).toBe(true)
    }
    for (const text of ['', '10s', '= 0', '=< 5s', '<= fast', '<= -5s', '>= abc%', 'about 5']) {
      expect(parseObjective(text).ok, text).toBe(false)
      expect(pattern.test(text), text).toBe(false)
    }
  })
})
