/**
 * `rift sandbox compare`: the same region outage against each layout, one after another, each on a fresh
 * sandbox, each a full rift run with its own journal; the table is then read from those journals.
 *
 * Between regions every replication link gets the same one-way latency for the whole run (50 ms by
 * default): on loopback replication takes well under a millisecond, which would hide the very trade-off
 * being compared (async loses what is in flight, sync pays a round trip per write).
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {createDefaultRegistry} from '../../drivers/index.js'
import type {DriverRegistry} from '../../drivers/registry.js'
import {RiftError, errorMessage} from '../../errors.js'
import type {Journal} from '../../engine/journal.js'
import {assertNothingDeclined, planExperiment} from '../../engine/plan.js'
import {runExperiment} from '../../engine/run-experiment.js'
import {stateDir as defaultStateDir} from '../../engine/run-dir.js'
import {createRunId} from '../../engine/run-id.js'
import {parseExperiment} from '../../experiment/load.js'
import {attachSandbox} from '../attach.js'
import {startSandbox} from '../index.js'
import type {Sandbox} from '../types.js'
import {comparisonExperiment, readKey} from './experiment.js'
import {renderHtml} from './html.js'
import {comparisonRow, renderMarkdown, type Comparison} from './table.js'
import type {Variant} from './variants.js'

export interface CompareOptions {
  variants: Variant[]
  outageMs: number
  interRegionLatencyMs: number
  /** The write ledger's rate. */
  writesPerSecond: number
  /** Interrupts the run in progress (which reverts everything) and skips the rest. */
  signal?: AbortSignal
  stateDir?: string
  say?: (line: string) => void
  registry?: DriverRegistry
}

export interface ComparisonFiles {
  json: string
  markdown: string
  html: string
}

export async function runComparison(options: CompareOptions): Promise<Comparison & {files: ComparisonFiles}> {
  const registry = options.registry ?? createDefaultRegistry()
  const base = options.stateDir ?? defaultStateDir()
  const say = options.say ?? (() => {})
  const id = createRunId()
  const dir = path.join(base, 'compare', id)
  await mkdir(dir, {recursive: true})
  const key = readKey()
  const comparison: Comparison = {
    dir,
    id,
    interRegionLatencyMs: options.interRegionLatencyMs,
    notRun: [],
    outageMs: options.outageMs,
    readKey: key,
    rows: [],
    startedAt: new Date().toISOString(),
    writesPerSecond: options.writesPerSecond,
  }

  for (const [index, variant] of options.variants.entries()) {
    if (options.signal?.aborted) {
      comparison.notRun.push(variant.id)
      continue
    }
    say(`${index + 1}/${options.variants.length} ${variant.label}: starting the sandbox and running the outage`)
    const journal = await runVariant(variant, {...options, dir, key, registry, stateDir: base})
    const row = comparisonRow(variant, journal)
    comparison.rows.push(row)
    say(`${index + 1}/${options.variants.length} ${variant.label}: ${journal.verdict}, run ${journal.runId}`)
  }

  const files = {html: path.join(dir, 'compare.html'), json: path.join(dir, 'compare.json'), markdown: path.join(dir, 'compare.md')}
  await writeFile(files.json, `${JSON.stringify(comparison, null, 2)}\n`)
  await writeFile(files.markdown, renderMarkdown(comparison))
  await writeFile(files.html, renderHtml(comparison))
  return {...comparison, files}
}

async function runVariant(variant: Variant, options: CompareOptions & {dir: string; key: string; registry: DriverRegistry; stateDir: string}): Promise<Journal> {
  const text = comparisonExperiment(variant, {key: options.key, outageMs: options.outageMs, writesPerSecond: options.writesPerSecond})
  const file = path.join(options.dir, `${variant.id}.yaml`)
  await writeFile(file, text)
  const experiment = parseExperiment(text, file, options.registry)
  const sandbox = await startSandbox({pattern: variant.pattern, regions: 2, ...(variant.replication === 'none' ? {} : {replication: variant.replication})}).catch((error: unknown) => {
    throw new RiftError('RIFT_SANDBOX_FAILED', `The ${variant.label} sandbox did not start: ${errorMessage(error)}`, {cause: error, suggestions: [`Try it on its own: rift sandbox up --pattern ${variant.pattern}`]})
  })
  try {
    await addInterRegionLatency(sandbox, options.interRegionLatencyMs)
    await seedKey(sandbox, options.key)
    const live = attachSandbox(experiment, sandbox)
    const plan = planExperiment(live, options.registry, createRunId())
    assertNothingDeclined(plan, file)
    const journal = await runExperiment(live, plan, {registry: options.registry, stateDir: options.stateDir, ...(options.signal ? {signal: options.signal} : {})})
    // The table is made from what the run wrote, not from memory: the journal on disk is the record.
    return JSON.parse(await readFile(journal.paths.journal, 'utf8')) as Journal
  } finally {
    await sandbox.stop().catch(() => {})
  }
}

/** The same delay on both streams of every replication link: records and acks each take `ms`. */
async function addInterRegionLatency(sandbox: Sandbox, ms: number): Promise<void> {
  if (ms <= 0) return
  for (const link of sandbox.topology.links.filter((candidate) => candidate.kind === 'replication')) {
    for (const stream of ['upstream', 'downstream'] as const) {
      const response = await fetch(`${sandbox.proxyUrl}/proxies/${link.name}/toxics`, {
        body: JSON.stringify({attributes: {jitter: 0, latency: ms}, name: `sandbox-inter-region-${stream}`, stream, toxicity: 1, type: 'latency'}),
        headers: {'content-type': 'application/json'},
        method: 'POST',
      })
      if (!response.ok) throw new RiftError('RIFT_SANDBOX_FAILED', `could not add the inter-region latency to ${link.name}: HTTP ${response.status} ${await response.text()}`)
    }
  }
}

/** Writes the prober's key through the router and waits until every region that should hold it does. */
async function seedKey(sandbox: Sandbox, key: string): Promise<void> {
  const put = await fetch(`${sandbox.routerUrl}/kv/${key}`, {body: 'read by the prober', method: 'PUT'})
  if (!put.ok) throw new RiftError('RIFT_SANDBOX_FAILED', `could not write the prober's key ${key}: HTTP ${put.status} ${await put.text()}`)
  const holders = sandbox.pattern === 'sharded' ? [] : sandbox.regions
  const deadline = Date.now() + 5000
  for (const region of holders) {
    while ((await fetch(`${region.apiUrl}/kv/${key}`)).status !== 200) {
      if (Date.now() > deadline) throw new RiftError('RIFT_SANDBOX_FAILED', `the prober's key ${key} did not reach ${region.name} within 5 s`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}
