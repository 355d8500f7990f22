/** The Go encoding/json rules of src/proxy/go-json.ts that the API tests do not reach directly. */
import {describe, expect, it} from 'vitest'

import {decodeInto, formatFloat32, formatFloat64, goInt64, goQuote, goString, goStruct, readFirstValue, type JsonNode} from '../../../src/proxy/go-json.js'

function error(body: string | Uint8Array): string {
  try {
    readFirstValue(body)
  } catch (e) {
    return (e as Error).message
  }
  return 'no error'
}

describe('readFirstValue', () => {
  it('reads only the first value and keeps number text', () => {
    expect(readFirstValue('1.0 garbage')).toMatchObject({kind: 'number', raw: '1.0'})
    expect(readFirstValue('"a"x')).toMatchObject({kind: 'string', value: 'a'})
    expect(readFirstValue('-0')).toMatchObject({kind: 'number', raw: '-0'})
    expect(readFirstValue('{"a":1,"a":2}')).toMatchObject({entries: [['a', {raw: '1'}], ['a', {raw: '2'}]]})
    expect(readFirstValue('[] ]')).toMatchObject({kind: 'array', items: []})
  })

  it('reports the end of input as Go does: EOF before a value, unexpected EOF inside one', () => {
    expect(error('')).toBe('EOF')
    expect(error('  \r\n')).toBe('EOF')
    for (const body of ['-', '1.', '1e', '1e+', 'tr', '"abc', '"\\u12', '[', '[1', '{"a"', '{"a":']) expect(error(body)).toBe('unexpected EOF')
  })

  it('quotes bad bytes as Go\'s quoteChar does', () => {
    expect(error('\u0000')).toBe("invalid character '\\x00' looking for beginning of value")
    expect(error('\\')).toBe("invalid character '\\\\' looking for beginning of value")
    expect(error('"\t"')).toBe("invalid character '\\t' in string literal")
    expect(error('é')).toBe("invalid character 'Ã' looking for beginning of value")
    expect(error('\u00a0')).toBe("invalid character 'Â' looking for beginning of value")
    expect(error(Buffer.from([0x85]))).toBe("invalid character '\\u0085' looking for beginning of value")
  })

  it('refuses nesting deeper than 10000, without overflowing the stack', () => {
    expect(readFirstValue('['.repeat(10_000) + ']'.repeat(10_000))).toMatchObject({kind: 'array'})
    expect(error('['.repeat(10_001))).toBe("invalid character '[' exceeded max depth")
  })

  it('turns lone surrogate escapes into U+FFFD and keeps pairs', () => {
    const value = (body: string): string => (readFirstValue(body) as Extract<JsonNode, {kind: 'string'}>).value
    expect(value('"\\ud83d\\ude00"')).toBe('😀')
    expect(value('"\\ud83d"')).toBe('\ufffd')
    expect(value('"\\ude00x"')).toBe('\ufffdx')
    expect(value('"\\ud83d\\u0041"')).toBe('\ufffdA')
  })
})

describe('decodeInto', () => {
  const type = goStruct('pkg.Thing', {name: goString, count: goInt64, inner: goStruct('pkg.Inner', {n: goInt64})})

  it('merges nested objects on duplicate keys and keeps decoding after a type error', () => {
    const {error: e, value} = decodeInto(readFirstValue('{"inner":{"n":1},"count":"x","NAME":"a","inner":{}}'), type, {name: '', count: 7, inner: {n: 0}})
    expect(value).toEqual({name: 'a', count: 7, inner: {n: 1}})
    expect(e?.message).toBe('json: cannot unmarshal string into Go struct field Thing.count of type int64')
  })

  it('accepts int64 bounds and refuses what lies beyond them', () => {
    const decode = (raw: string) => decodeInto(readFirstValue(`{"count":${raw}}`), type, {name: '', count: 0, inner: {n: 0}})
    expect(decode('-9223372036854775808').error).toBeUndefined()
    expect(decode('9223372036854775807').error).toBeUndefined()
    expect(decode('-9223372036854775809').error?.message).toBe('json: cannot unmarshal number -9223372036854775809 into Go struct field Thing.count of type int64')
    expect(decode('1E2').error?.message).toBe('json: cannot unmarshal number 1E2 into Go struct field Thing.count of type int64')
  })
})

describe('writing', () => {
  it('escapes as json.Marshal does', () => {
    expect(goQuote('<a href="x">&\u2028\u2029\b\f\n\r\t\u0001\u007f')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u2028\\u2029\\b\\f\\n\\r\\t\\u0001\u007f"')
    expect(goQuote('😀\ud800')).toBe('"😀\\ufffd"')
  })

  it('writes float32 and float64 in Go\'s shortest form', () => {
    expect([0.1, 1, 2.5, 0.3333333333, 1e-7, 3.4028235e38, 16777217, -0].map((n) => formatFloat32(Math.fround(n)))).toEqual([
      '0.1',
      '1',
      '2.5',
      '0.33333334',
      '1e-7',
      '3.4028235e+38',
      '16777216',
      '-0',
    ])
    expect([0.000001, 1e-7, 1e20, 1e21, 123.456].map(formatFloat64)).toEqual(['0.000001', '1e-7', '100000000000000000000', '1e+21', '123.456'])
  })
})
