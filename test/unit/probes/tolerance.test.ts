import {describe, expect, it} from 'vitest'

import type {Json} from '../../../src/drivers/define.js'
import {type Tolerance, toleranceSchema} from '../../../src/experiment/schema.js'
import {checkTolerance, deepEqual} from '../../../src/probes/tolerance.js'

const check = (value: Json, tolerance: Tolerance) => checkTolerance(value, toleranceSchema.parse(tolerance))

describe('checkTolerance', () => {
  it('equals: deep, whatever the key order, and without coercion', () => {
    expect(check(true, {equals: true})).toEqual({detail: 'true equals true', ok: true})
    expect(check({a: 1, b: [1, {c: null}]}, {equals: {b: [1, {c: null}], a: 1}}).ok).toBe(true)
    expect(check([1, 2], {equals: [2, 1]}).ok).toBe(false)
    expect(check('200', {equals: 200})).toEqual({detail: '"200", expected 200', ok: false})
    expect(check({a: 1}, {equals: {a: 1, b: 2}}).ok).toBe(false)
    expect(check(null, {equals: null}).ok).toBe(true)
    expect(check(0, {equals: null}).ok).toBe(false)
  })

  it('oneOf: any of the options, deeply', () => {
    expect(check(204, {oneOf: [200, 204]}).ok).toBe(true)
    expect(check({state: 'ok'}, {oneOf: [{state: 'ok'}, 'fine']}).ok).toBe(true)
    expect(check(500, {oneOf: [200, 204]})).toEqual({detail: '500, expected one of 200, 204', ok: false})
  })

  it('range: inclusive at both ends, numbers only', () => {
    expect(check(200, {range: [200, 299]}).ok).toBe(true)
    expect(check(299, {range: [200, 299]}).ok).toBe(true)
    expect(check(300, {range: [200, 299]})).toEqual({detail: '300, expected a number in [200, 299]', ok: false})
    expect(check(199.9, {range: [200, 299]}).ok).toBe(false)
    expect(check('250', {range: [200, 299]}).detail).toContain('is not a number')
    expect(check(5, {range: [10, 1]})).toEqual({detail: 'the range [10, 1] is empty (min > max)', ok: false})
  })

  it('atLeast and atMost: inclusive, numbers only', () => {
    expect(check(99.5, {atLeast: 99.5}).ok).toBe(true)
    expect(check(99.4, {atLeast: 99.5})).toEqual({detail: '99.4, expected at least 99.5', ok: false})
    expect(check(300, {atMost: 300}).ok).toBe(true)
    expect(check(301, {atMost: 300}).ok).toBe(false)
    expect(check(true, {atLeast: 0}).ok).toBe(false)
    expect(check(null, {atMost: 10}).detail).toContain('null is not a number')
  })

  it('regex: strings only, unanchored unless anchored', () => {
    expect(check('eu-west-1', {regex: '^eu-'}).ok).toBe(true)
    expect(check('primary: eu-west', {regex: 'eu-west'}).ok).toBe(true)
    expect(check('us-east-1', {regex: '^eu-'})).toEqual({detail: '"us-east-1" does not match /^eu-/', ok: false})
    expect(check(200, {regex: '200'}).detail).toContain('is not a string')
    expect(check('x', {regex: '('}).detail).toMatch(/^invalid regex/)
  })

  it('deepEqual tells arrays from objects', () => {
    expect(deepEqual([], {})).toBe(false)
    expect(deepEqual({0: 'a'}, ['a'])).toBe(false)
  })
})
