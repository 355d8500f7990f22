import {describe, expect, it} from 'vitest'

import {describeValue, formatIssues, formatPath, sortIssues, type ValidationIssue} from '../../../src/experiment/issues.js'

describe('formatPath', () => {
  it('writes keys with dots and indexes in brackets, quoting keys that are not identifiers', () => {
    expect(formatPath(['method', 1, 'region'])).toBe('method[1].region')
    expect(formatPath(['slos', 'my slo'])).toBe('slos["my slo"]')
    expect(formatPath(['$schema'])).toBe('$schema')
    expect(formatPath([])).toBe('')
    expect(formatPath([0, 'a'])).toBe('[0].a')
  })
})

describe('formatIssues', () => {
  const issue = (line: number, column: number, path: string, message: string): ValidationIssue => ({column, line, message, path})

  it('puts file:line:column first, then the path, then the message', () => {
    expect(
      formatIssues('experiments/x.yaml', [
        issue(23, 7, 'method[1].region', 'unknown region "us-eats". Did you mean "us-east"?'),
        issue(1, 1, '', 'the file is empty'),
      ]),
    ).toBe(
      [
        'experiments/x.yaml is not a valid experiment (2 problems)',
        '  experiments/x.yaml:23:7  method[1].region  unknown region "us-eats". Did you mean "us-east"?',
        '  experiments/x.yaml:1:1  the file is empty',
      ].join('\n'),
    )
  })

  it('says "1 problem" for one', () => {
    expect(formatIssues('x.yaml', [issue(1, 1, 'title', 'missing')]).split('\n')[0]).toBe('x.yaml is not a valid experiment (1 problem)')
  })
})

describe('sortIssues', () => {
  it('orders by position and drops exact repeats', () => {
    const a: ValidationIssue = {column: 3, line: 2, message: 'a', path: 'x'}
    const b: ValidationIssue = {column: 1, line: 2, message: 'b', path: 'y'}
    const c: ValidationIssue = {column: 9, line: 1, message: 'c', path: 'z'}
    expect(sortIssues([a, b, c, {...a}])).toEqual([c, b, a])
  })
})

describe('describeValue', () => {
  it('names what was found briefly', () => {
    expect(describeValue('abc')).toBe('"abc"')
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(37)}..."`)
    expect(describeValue('')).toBe('an empty string')
    expect(describeValue(5)).toBe('5')
    expect(describeValue(null)).toBe('an empty value')
    expect(describeValue([])).toBe('an empty list')
    expect(describeValue([1])).toBe('a list of 1 item')
    expect(describeValue([1, 2])).toBe('a list of 2 items')
    expect(describeValue({})).toBe('an empty mapping')
    expect(describeValue({a: 1})).toBe('a mapping')
    expect(describeValue(new Uint8Array(2))).toBe('binary data')
  })
})
