import {describe, expect, it} from 'vitest'

import {loadExperiment, parseExperiment} from '../../../src/experiment/load.js'
import {testRegistry} from './drivers.js'
import {fixture, issuesOf, problems, rejection, summarise} from './fixtures.js'

describe('loadExperiment on valid files', () => {
  it('returns the experiment with defaults applied and regions normalised', async () => {
    const experiment = await loadExperiment(fixture('valid/region-outage.yaml'), testRegistry())
    expect(experiment.file).toBe(fixture('valid/region-outage.yaml'))
    expect(experiment.defaultDriver).toBe('sim')
    expect(Object.keys(experiment.drivers)).toEqual(['sim', 'cloud'])
    expect(experiment.topology.regions.map((region) => region.name)).toEqual(['us-east', 'eu-west'])
    expect(experiment.doc.method).toHaveLength(9)
    expect(experiment.doc.guardrails.maxDuration).toBe('5m')
    expect(experiment.doc.method[2]).toMatchObject({direction: 'both', fault: 'latency', jitter: '50ms'})
  })

  it('reads JSON through the same parser', async () => {
    const experiment = await loadExperiment(fixture('valid/minimal.json'), testRegistry())
    expect(experiment.doc.title).toBe('a minimal experiment in JSON')
    expect(experiment.doc.steadyState).toEqual([])
  })
})

describe('loadExperiment reports every bad input with file:line:column, path and message', () => {
  it('YAML syntax errors, with yaml’s own positions', async () => {
    expect(await problems('invalid/syntax-error.yaml')).toMatchInlineSnapshot(`
      [
        "2:8 (file): syntax error: Nested mappings are not allowed in compact mappings",
        "5:1 (file): syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (check the indentation of this line against the lines above)",
      ]
    `)
  })

  it('an unclosed quote, naming where the string began', async () => {
    expect(await problems('invalid/unclosed-quote.yaml')).toMatchInlineSnapshot(`
      [
        "6:1 (file): syntax error: Missing closing "quote (the string that starts on line 2, column 8 is never closed)",
      ]
    `)
  })

  it('tabs used for indentation', async () => {
    expect(await problems('invalid/tab-indent.yaml')).toMatchInlineSnapshot(`
      [
        "4:1 (file): syntax error: Tabs are not allowed as indentation (indent with spaces)",
      ]
    `)
  })

  it('duplicate keys, pointing at the second one and naming the line of the first', async () => {
    expect(await problems('invalid/duplicate-key.yaml')).toMatchInlineSnapshot(`
      [
        "6:1 title: duplicate key "title": it is already set on line 2 (only the last one counts)",
        "9:5 method[0].wait: duplicate key "wait": it is already set on line 8 (only the last one counts)",
      ]
    `)
  })

  it('an empty file', async () => {
    expect(await problems('invalid/empty.yaml')).toMatchInlineSnapshot(`
      [
        "1:1 (file): the file is empty; expected an experiment starting with version: rift/v1",
      ]
    `)
    expect(await problems('invalid/comments-only.yaml')).toMatchInlineSnapshot(`
      [
        "1:1 (file): the file is empty; expected an experiment starting with version: rift/v1",
      ]
    `)
  })

  it('binary garbage and text that is not UTF-8', async () => {
    expect(await problems('invalid/binary.yaml')).toMatchInlineSnapshot(`
      [
        "1:1 (file): is not a text file: found bytes that are not UTF-8; an experiment is UTF-8 YAML or JSON",
      ]
    `)
    expect(await problems('invalid/nul-bytes.yaml')).toMatchInlineSnapshot(`
      [
        "2:11 (file): is not a text file: found a NUL byte; an experiment is UTF-8 YAML or JSON",
      ]
    `)
    expect(await problems('invalid/latin1.yaml')).toMatchInlineSnapshot(`
      [
        "2:11 (file): is not a text file: found bytes that are not UTF-8; an experiment is UTF-8 YAML or JSON",
      ]
    `)
  })

  it('a JSON array or a scalar at the top level', async () => {
    expect(await problems('invalid/top-level-array.json')).toMatchInlineSnapshot(`
      [
        "1:1 (file): expected a mapping at the top level (version: rift/v1, title: ..., method: ...), got a list",
      ]
    `)
    expect(await problems('invalid/top-level-scalar.yaml')).toMatchInlineSnapshot(`
      [
        "1:1 (file): expected a mapping at the top level (version: rift/v1, title: ..., method: ...), got a single string value",
      ]
    `)
  })

  it('an unknown version, suggesting rift/v1', async () => {
    const error = await rejection(() => loadExperiment(fixture('invalid/unknown-version.yaml'), testRegistry()))
    expect(issuesOf(error)).toEqual([
      {column: 10, expected: '"rift/v1"', line: 1, message: 'expected "rift/v1", got "rift/v2"', path: 'version', suggestion: 'rift/v1'},
    ])
  })

  it('a missing title', async () => {
    expect(await problems('invalid/missing-title.yaml')).toMatchInlineSnapshot(`
      [
        "1:1 title: missing required field "title" (a string)",
      ]
    `)
  })

  it('wrong types, naming what was expected and what was found', async () => {
    expect(await problems('invalid/wrong-types.yaml')).toMatchInlineSnapshot(`
      [
        "2:8 title: expected a string, got a list of 3 items",
        "3:7 tags: expected a list, got "gameday"",
        "5:12 topology.regions: expected a list, got "us-east"",
        "8:11 method[0].wait: expected a duration like 500ms, 10s or 5m, got 5 (write "5s" or "5ms")",
        "12:17 method[1].background: expected true or false, got "yes"",
        "14:16 guardrails.maxDuration: expected a duration like 500ms, 10s or 5m, got 300 (write "300s" or "300ms")",
      ]
    `)
  })

  it('unknown keys, pointing at the key, with "did you mean" among the keys allowed there', async () => {
    expect(await problems('invalid/unknown-keys.yaml')).toMatchInlineSnapshot(`
      [
        "2:1 titel: unknown key "titel". Did you mean "title"?",
        "5:3 topology.link: unknown key "link". Did you mean "links"?",
        "7:1 steadystate: unknown key "steadystate". Did you mean "steadyState"?",
        "11:5 method[0].duraton: unknown key "duraton". Did you mean "duration"?",
        "12:5 method[0].colour: unknown key "colour"; allowed here: background, driver, duration, name, fault, mode, region",
      ]
    `)
  })

  it('negative, unitless and unparseable durations', async () => {
    expect(await problems('invalid/durations.yaml')).toMatchInlineSnapshot(`
      [
        "7:11 method[0].wait: a duration cannot be negative, got "-5s"",
        "8:11 method[1].wait: expected a duration like 500ms, 10s or 5m, got "5 seconds"",
        "12:14 method[2].latency: expected a duration like 500ms, 10s or 5m, got 10 (write "10s" or "10ms")",
        "13:15 method[2].duration: expected a duration like 500ms, 10s or 5m, got an empty string",
        "14:27 guardrails.maxDuration: expected a duration like 500ms, 10s or 5m, got "1d"",
      ]
    `)
  })

  it('unknown fault kinds, and raw actions written as fault kinds', async () => {
    expect(await problems('invalid/fault-kinds.yaml')).toMatchInlineSnapshot(`
      [
        "7:12 method[0].fault: unknown fault kind "region-outtage". Did you mean "region-outage"?",
        "10:12 method[1].fault: unknown fault kind "sim.cut-link": raw driver actions go under action:, as in "action: sim.cut-link"; fault kinds are region-outage, latency, partition, bandwidth, replication-pause, replica-corruption, dns-failover",
        "12:12 method[2].fault: unknown fault kind "earthquake"; expected one of: region-outage, latency, partition, bandwidth, replication-pause, replica-corruption, dns-failover",
      ]
    `)
  })

  it('steps and probes that match no form, with "did you mean" for the form key', async () => {
    expect(await problems('invalid/step-forms.yaml')).toMatchInlineSnapshot(`
      [
        "7:5 method[0].wiat: a method step needs one of the keys wait, fault, action, http, tcp, command, probe; found "wiat". Did you mean "wait"?",
        "8:5 method[1]: a method step needs one of the keys wait, fault, action, http, tcp, command, probe; found an empty mapping",
        "9:5 method[2]: expected a method step: a mapping with one of the keys wait, fault, action, http, tcp, command, probe, got "just a sentence"",
        "10:5 method[3]: a method step needs one of the keys wait, fault, action, http, tcp, command, probe; found only "name"",
        "11:5 method[4].htttp: a method step needs one of the keys wait, fault, action, http, tcp, command, probe; found "htttp". Did you mean "http"?",
        "13:5 steadyState[0].tpc: a probe needs one of the keys http, tcp, command, probe; found "tpc". Did you mean "tcp"?",
        "16:14 steadyState[1].expect.equal: a tolerance needs one of the keys equals, oneOf, range, atLeast, atMost, regex; found "equal". Did you mean "equals"?",
        "19:26 steadyState[2].expect.atMost: a tolerance takes exactly one of the keys equals, oneOf, range, atLeast, atMost, regex; found "atLeast" and "atMost"",
      ]
    `)
  })

  it('a step written in two forms at once', async () => {
    const text = 'version: rift/v1\ntitle: t\ntopology: {regions: [us-east]}\ndriver: sim\nmethod:\n  - {wait: 1s, fault: region-outage, region: us-east}\n'
    const error = await rejection(() => parseExperiment(text, 'x.yaml', testRegistry()))
    expect(summarise(issuesOf(error))).toEqual([
      '6:16 method[0].fault: a method step takes exactly one of the keys wait, fault, action, http, tcp, command, probe; found "wait" and "fault"',
    ])
  })

  it('references to regions the topology does not declare', async () => {
    expect(await problems('invalid/references.yaml')).toMatchInlineSnapshot(`
      [
        "6:49 topology.links[0].to: unknown region "us-eats". Did you mean "us-east"?",
        "7:35 topology.links[1].from: unknown region "ap-south"; the topology declares us-east, eu-west or "clients"",
        "8:44 topology.links[2].to: links go from "clients" into a region, not back; use from: clients",
        "12:13 method[0].region: unknown region "eu-wset". Did you mean "eu-west"?",
        "16:9 method[1].to: unknown region "ap-south"; the topology declares us-east, eu-west",
        "21:9 method[2].to: from and to are the same region ("eu-west"); a latency fault is between two regions",
        "25:27 guardrails.allowRegions[1]: unknown region "eu-wst". Did you mean "eu-west"?",
      ]
    `)
  })

  it('regions and links declared twice, and a region named clients', async () => {
    expect(await problems('invalid/duplicate-names.yaml')).toMatchInlineSnapshot(`
      [
        "7:13 topology.regions[2].name: duplicate region name "us-east": already declared at topology.regions[0]",
        "8:7 topology.regions[3]: "clients" is reserved for the users' side of links; name the region something else",
        "11:14 topology.links[1].name: duplicate link name "repl": already declared at topology.links[0].name",
      ]
    `)
  })

  it('unknown SLOs and objectives that cannot be read or have the wrong unit', async () => {
    expect(await problems('invalid/slos.yaml')).toMatchInlineSnapshot(`
      [
        "9:3 slos.failovertime: unknown SLO "failovertime". Did you mean "failoverTime"?",
        "10:17 slos.availability: start with a comparison (<, <=, ==, !=, >=, >), for example ">= 99.9%", got "99.9%"",
        "11:13 slos.dataLoss: dataLoss is a count: expected an objective such as "== 0", got a percentage in "== 0%"",
        "12:8 slos.p99: expected an objective such as "<= 300ms", got "<= fast"",
        "13:14 slos.errorRate: a percentage is at most 100%, got "<= 120%"",
        "14:8 slos.rpo: expected an objective such as "== 0" or "<= 10s", quoted, got the number 0 (write "== 0" with the comparison you mean)",
        "15:3 slos.happiness: unknown SLO "happiness"; rift measures failoverTime, dataLoss, rpo, availability, errorRate, p50, p90, p95, p99, p999, and probe:<name> for a probe's value",
        "17:12 guardrails.abortIf: guardrails.abortIf watches the error rate of a workload, and this experiment has none; add workload.prober or workload.load",
        "17:24 guardrails.abortIf.errorRate: expected an objective such as "<= 1%", got "> ninety percent"",
      ]
    `)
  })

  it('unknown drivers and driver configs that do not fit the driver’s schema', async () => {
    expect(await problems('invalid/drivers.yaml')).toMatchInlineSnapshot(`
      [
        "6:3 driver.simm: unknown driver "simm". Did you mean "sim"?",
        "7:20 driver.cloud.account: expected a 12-digit AWS account id, got "12345"",
        "7:29 driver.cloud.regoin: unknown key "regoin". Did you mean "region"?",
        "8:3 driver.k8s: unknown driver "k8s"; installed drivers: sim, cloud (see: rift drivers)",
      ]
    `)
  })

  it('unknown actions and probes, and params that do not fit their schema', async () => {
    expect(await problems('invalid/actions-probes.yaml')).toMatchInlineSnapshot(`
      [
        "9:12 steadyState[0].probe: unknown probe "sim.reachabel". Did you mean "sim.reachable"?",
        "11:13 steadyState[1].params.to: missing required field "to" (a string)",
        "13:13 method[0].action: unknown action "sim.cut-lnk". Did you mean "sim.cut-link"?",
        "16:20 method[1].params.link: expected a string, got 5",
        "16:29 method[1].params.mode: expected one of "drop", "reset", got "explode"",
        "18:13 method[2].action: "sim.reachable" is a probe, not an action; write probe: sim.reachable",
        "20:13 method[3].action: unknown driver "smi". Did you mean "sim"?",
        "22:12 method[4].probe: the cloud driver needs settings: add it under driver:, as in driver: {cloud: {...}}",
        "25:13 method[5].driver: driver "cloud" does not match the probe's driver "sim"; leave driver: out, the probe names its driver",
      ]
    `)
  })

  it('faults the chosen driver does not support, naming the drivers that do', async () => {
    expect(await problems('invalid/fault-support.yaml')).toMatchInlineSnapshot(`
      [
        "7:12 method[0].fault: the sim driver does not support partition faults; no installed driver does",
        "11:12 method[1].fault: the sim driver does not support dns-failover faults; drivers that do: cloud",
        "15:13 method[2].driver: driver "cloud" is not configured under driver: (configured: sim); add it there to use it here",
        "21:14 method[3].latency: the sim driver delays at most 1m, got "2h"",
      ]
    `)
  })

  it('problems in JSON files, located like YAML', async () => {
    expect(await problems('invalid/invalid.json')).toMatchInlineSnapshot(`
      [
        "8:42 method[1].region: unknown region "us-west". Did you mean "us-east"?",
        "10:18 guardrails.maxDuraton: unknown key "maxDuraton". Did you mean "maxDuration"?",
      ]
    `)
  })
})

describe('all at once', () => {
  it('reports every problem in one error, in source order, with a readable message', async () => {
    const file = fixture('invalid/many-problems.yaml')
    const error = await rejection(() => loadExperiment(file, testRegistry()))
    expect(error.exitCode).toBe(2)
    expect(error.message.replaceAll(file, '<file>')).toMatchInlineSnapshot(`
      "<file> is not a valid experiment (8 problems)
        <file>:5:9  driver  unknown driver "simm". Did you mean "sim"?
        <file>:7:5  method[0].wiat  a method step needs one of the keys wait, fault, action, http, tcp, command, probe; found "wiat". Did you mean "wait"?
        <file>:9:13  method[1].region  unknown region "us-eats". Did you mean "us-east"?
        <file>:10:15  method[1].duration  a duration cannot be negative, got "-5s"
        <file>:11:12  method[2].fault  unknown fault kind "latncy". Did you mean "latency"?
        <file>:16:3  slos.availabilty  unknown SLO "availabilty". Did you mean "availability"?
        <file>:17:13  slos.dataLoss  expected an objective such as "== 0", got "about zero"
        <file>:18:1  colour  unknown key "colour"; allowed here: $schema, description, driver, guardrails, method, slos, sandbox, steadyState, tags, title, topology, version, workload"
    `)
    expect(error.details).toMatchObject({file})
    expect(error.suggestions.join('\n')).toContain('docs/experiment-format.md')
  })

  it('never lets anything but a RiftError escape, whatever the input', () => {
    const inputs = ['', '---', '~', '[]', '{}', '- -', '&a [*a]', '!!binary x', '{a: *b}', '? [a]\n: b', 'version: !!int x', '"\\u0000"']
    for (const text of inputs) {
      expect(() => parseExperiment(text, 'x.yaml', testRegistry()), text).toThrowError(expect.objectContaining({code: 'RIFT_EXPERIMENT_INVALID'}))
    }
  })
})

describe('file errors', () => {
  it('a missing file is RIFT_FILE_NOT_FOUND, with the close match in the same folder', async () => {
    const error = await rejection(() => loadExperiment(fixture('invalid/unknown-verison.yaml'), testRegistry()))
    expect(error.code).toBe('RIFT_FILE_NOT_FOUND')
    expect(error.message).toContain('Did you mean test/fixtures/experiments/invalid/unknown-version.yaml?')
  })

  it('a directory is RIFT_FILE_UNREADABLE', async () => {
    const error = await rejection(() => loadExperiment(fixture('invalid'), testRegistry()))
    expect(error.code).toBe('RIFT_FILE_UNREADABLE')
    expect(error.message).toContain('is a directory')
  })
})
