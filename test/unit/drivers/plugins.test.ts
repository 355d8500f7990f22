/**
 * Loading drivers from plugin packages into the registry: first-party and plugin drivers go through the same
 * checks, and every way a plugin can be wrong is recorded as a problem instead of breaking the registry.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createRegistry} from '../../../src/drivers/index.js'
import type {PluginPackage} from '../../../src/drivers/plugins.js'
import {DRIVER_SDK_VERSION, sdkCompatible} from '../../../src/drivers/sdk-version.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/plugins/', import.meta.url))
const plugin = (name: string, root: string, drivers?: unknown, version = '1.0.0'): PluginPackage => ({
  name,
  pjson: drivers === undefined ? {} : {rift: {drivers}},
  root,
  version,
})

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rift-plugins-unit-'))
  const driver = (name: string, sdk: string) =>
    `import {z} from 'zod'\nexport default {name: '${name}', sdkVersion: '${sdk}', summary: 's', capabilities: {blastRadius: 'process', live: false, resumableRevert: true}, config: z.strictObject({}), connect: async () => ({}), faults: {}, actions: {}, probes: {p: {summary: 'p', params: z.strictObject({}), run: async () => true}}, fidelity: []}\n`
  await writeFile(join(dir, 'future.mjs'), driver('future', '2.0.0'))
  await writeFile(join(dir, 'impostor.mjs'), driver('memory', DRIVER_SDK_VERSION))
  await writeFile(join(dir, 'throws.mjs'), "throw new Error('boom at import')\n")
  await writeFile(join(dir, 'empty.mjs'), 'export const nothing = 1\n')
})
afterAll(async () => {
  await rm(dir, {force: true, recursive: true})
})

describe('drivers from plugins', () => {
  it('registers a plugin driver next to the builtins, with its plugin and version as origin', async () => {
    const registry = await createRegistry({plugins: [plugin('rift-driver-flag', join(FIXTURES, 'flag-driver'), './drivers.mjs', '1.2.3')]})
    expect(registry.get('flag').faults).toHaveProperty('region-outage')
    expect(registry.origin('flag')).toEqual({source: {plugin: 'rift-driver-flag', type: 'plugin'}, version: '1.2.3'})
    expect(registry.origin('memory')).toEqual({source: {type: 'builtin'}, version: '0.1.0'})
    expect(registry.problems()).toEqual([])
  })

  it('ignores plugins that declare no drivers, such as rift’s own oclif plugins', async () => {
    const registry = await createRegistry({plugins: [plugin('@oclif/plugin-help', dir)]})
    expect(registry.names()).toEqual(['memory', 'toxiproxy', 'sandbox', 'aws-fis', 'route53'])
  })

  it('records each broken plugin as a problem and keeps every other driver', async () => {
    const registry = await createRegistry({
      plugins: [
        plugin('broken', join(FIXTURES, 'broken-plugin'), './drivers.mjs'),
        plugin('future', dir, './future.mjs'),
        plugin('impostor', dir, './impostor.mjs'),
        plugin('throws', dir, './throws.mjs'),
        plugin('empty', dir, './empty.mjs'),
        plugin('missing', dir, './nope.mjs'),
        plugin('escapes', dir, '../outside.mjs'),
        plugin('not-a-path', dir, 42),
        plugin('rift-driver-flag', join(FIXTURES, 'flag-driver'), './drivers.mjs'),
      ],
    })
    const problems = Object.fromEntries(registry.problems().map((problem) => [problem.plugin, problem.message]))
    expect(problems.broken).toContain('connect is not a function')
    expect(problems.future).toContain('written for driver SDK 2.0.0; this rift speaks SDK 1.0.0')
    expect(problems.impostor).toContain('A driver named "memory" is already registered (from builtin)')
    expect(problems.throws).toContain('boom at import')
    expect(problems.empty).toContain('neither a default export nor a `drivers` export')
    expect(problems.missing).toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/)
    expect(problems.escapes).toContain('points outside the plugin')
    expect(problems['not-a-path']).toContain('must be a path')
    expect(registry.names()).toEqual(['memory', 'toxiproxy', 'sandbox', 'aws-fis', 'route53', 'flag'])
    expect(registry.get('memory').summary).toContain('simulated') // the builtin, not the impostor
  })

  it('an unknown driver’s error names the plugins that failed to load', async () => {
    const registry = await createRegistry({plugins: [plugin('throws', dir, './throws.mjs')]})
    let suggestions: string[] = []
    try {
      registry.get('netem')
    } catch (error) {
      suggestions = (error as {suggestions: string[]}).suggestions
    }
    expect(suggestions).toContain('Plugin throws failed to load: boom at import')
    expect(suggestions.join('\n')).toContain('rift plugins install <package>')
  })

  it('accepts the same SDK major version only', () => {
    expect(sdkCompatible('1.0.0')).toBe(true)
    expect(sdkCompatible('1.7.2')).toBe(true)
    expect(sdkCompatible('2.0.0')).toBe(false)
    expect(sdkCompatible('0.9.0')).toBe(false)
    expect(sdkCompatible('latest')).toBe(false)
  })
})
