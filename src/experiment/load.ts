/**
 * Reading an experiment file: from bytes to a validated `Experiment`, or one RiftError that lists every
 * problem with its file:line:column. The order is the order of cost and trust: size, text, YAML, the
 * schema, then rules across the document and the drivers. Nothing here throws anything but a RiftError.
 */
import {open, readdir} from 'node:fs/promises'
import {basename, dirname, extname} from 'node:path'

import type {DriverRegistry} from '../drivers/registry.js'
import {RiftError} from '../errors.js'
import {didYouMean} from '../util/suggest.js'
import {checkDocument} from './check.js'
import {checkDrivers} from './check-drivers.js'
import {toExperiment, type Experiment} from './experiment.js'
import {formatIssues, formatPath, sortIssues, type IssueDraft, type ValidationIssue} from './issues.js'
import {isPlainObject} from './schema-walk.js'
import {experimentSchema, EXPERIMENT_VERSION} from './schema.js'
import {applySandboxDefaults} from './sandbox-defaults.js'
import {locateDraft, parseYaml} from './yaml-source.js'
import {translateZodIssues} from './zod-issues.js'

/** Experiments are a few kilobytes; a megabyte is already absurd, and parsing more would be slow. */
export const MAX_EXPERIMENT_BYTES = 1024 * 1024

export const FORMAT_DOC = 'docs/experiment-format.md'

/**
 * @throws RiftError RIFT_FILE_NOT_FOUND, RIFT_FILE_UNREADABLE, or RIFT_EXPERIMENT_INVALID with
 *   `details: {file, issues}`.
 */
export async function loadExperiment(file: string, registry: DriverRegistry): Promise<Experiment> {
  return validateBytes(await readCapped(file), file, registry)
}

/** The same checks on text already in memory (tests, `rift init`); synchronous. */
export function parseExperiment(text: string, file: string, registry: DriverRegistry): Experiment {
  if (Buffer.byteLength(text, 'utf8') > MAX_EXPERIMENT_BYTES) throw invalid(file, [tooLarge(Buffer.byteLength(text, 'utf8'))])
  const nul = text.indexOf('\u0000')
  if (nul !== -1) throw invalid(file, [notText(text, nul, 'a NUL character')])
  return validateText(text.replace(/^\uFEFF/, ''), file, registry)
}

/** Every problem in the bytes of a file, as an Experiment or a RiftError. */
export function validateBytes(bytes: Uint8Array, file: string, registry: DriverRegistry): Experiment {
  if (bytes.byteLength > MAX_EXPERIMENT_BYTES) throw invalid(file, [tooLarge(bytes.byteLength)])
  const nul = bytes.indexOf(0)
  let text: string
  try {
    // fatal: a Latin-1 or binary file is refused rather than read as a page of replacement characters.
    text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes)
    throw invalid(file, [notText(lossy, lossy.indexOf('\uFFFD'), 'bytes that are not UTF-8')])
  }
  if (nul !== -1) throw invalid(file, [notText(text, text.indexOf('\u0000'), 'a NUL byte')])
  return validateText(text, file, registry)
}

function validateText(text: string, file: string, registry: DriverRegistry): Experiment {
  const parsed = parseYaml(text)
  if (!parsed.ok) throw invalid(file, parsed.issues)
  const {source} = parsed
  const written = source.value
  if (written === null || written === undefined) {
    throw invalid(file, [{column: 1, line: 1, message: `the file is empty; expected an experiment starting with version: ${EXPERIMENT_VERSION}`, path: ''}])
  }
  if (!isPlainObject(written)) {
    const found = Array.isArray(written) ? 'a list' : `a single ${typeof written} value`
    throw invalid(file, [{...source.locate([]), message: `expected a mapping at the top level (version: ${EXPERIMENT_VERSION}, title: ..., method: ...), got ${found}`, path: ''}])
  }

  const {doc: value, issues: sandboxDrafts} = applySandboxDefaults(written)
  const result = experimentSchema.safeParse(value)
  let schemaDrafts = result.success ? [] : [...sandboxDrafts, ...translateZodIssues(result.error.issues, experimentSchema, value)]
  if (!result.success && schemaDrafts.length === 0) {
    // Never "0 problems": should translation lose an issue, zod's own words are better than silence.
    schemaDrafts = result.error.issues.map((issue) => ({message: issue.message, path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))}))
  }
  // The schema speaks first: a field it rejected is not judged again by the rules across the document.
  const rejected = schemaDrafts.map((draft) => formatPath(draft.path))
  const covered = (draft: IssueDraft) => {
    const path = formatPath(draft.path)
    return rejected.some((taken) => path === taken || path.startsWith(`${taken}.`) || path.startsWith(`${taken}[`))
  }
  const ruleDrafts = [...checkDocument(value), ...checkDrivers(value, registry)].filter((draft) => !covered(draft))
  if (result.success) schemaDrafts.push(...sandboxDrafts)
  const issues = [...source.issues, ...[...schemaDrafts, ...ruleDrafts].map((draft) => locateDraft(source, draft))]
  if (issues.length > 0 || !result.success) throw invalid(file, issues)
  return toExperiment(result.data, file)
}

function invalid(file: string, found: readonly ValidationIssue[]): RiftError {
  // Fields in reading order, for people reading the --json output.
  const issues = sortIssues(found).map(({column, expected, line, message, path, suggestion}) => ({
    path,
    line,
    column,
    message,
    ...(expected === undefined ? {} : {expected}),
    ...(suggestion === undefined ? {} : {suggestion}),
  }))
  return new RiftError('RIFT_EXPERIMENT_INVALID', formatIssues(file, issues), {
    details: {file, issues},
    suggestions: [
      `Fix the problems listed, then check again with: rift validate ${file}`,
      `The format, field by field: ${FORMAT_DOC}`,
    ],
  })
}

/** @param bytes undefined when the size is unknown (a device or pipe that kept going past the limit). */
function tooLarge(bytes: number | undefined): ValidationIssue {
  const size = bytes === undefined ? `larger than ${formatBytes(MAX_EXPERIMENT_BYTES)}` : formatBytes(bytes)
  return {
    column: 1,
    line: 1,
    message: `the file is ${size}; experiment files are limited to ${formatBytes(MAX_EXPERIMENT_BYTES)}, so it was not read`,
    path: '',
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

/** Locates the first bad character, so a text file with one stray byte can be fixed. */
function notText(text: string, index: number, what: string): ValidationIssue {
  const before = text.slice(0, Math.max(index, 0))
  const line = before.split('\n').length
  const column = before.length - before.lastIndexOf('\n')
  return {column, line, message: `is not a text file: found ${what}; an experiment is UTF-8 YAML or JSON`, path: ''}
}

/**
 * Reads at most one byte past the limit, so `/dev/zero` or a 10 GB file is refused at once rather than
 * read into memory; stat alone would not do, special files report a size of 0.
 */
async function readCapped(file: string): Promise<Uint8Array> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    throw await fileError(file, error)
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw await fileError(file, Object.assign(new Error('is a directory'), {code: 'EISDIR'}))
    if (stat.size > MAX_EXPERIMENT_BYTES) throw invalid(file, [tooLarge(stat.size)])
    const buffer = Buffer.alloc(MAX_EXPERIMENT_BYTES + 1)
    let length = 0
    while (length < buffer.length) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > MAX_EXPERIMENT_BYTES) throw invalid(file, [tooLarge(undefined)])
    return buffer.subarray(0, length)
  } catch (error) {
    throw error instanceof RiftError ? error : await fileError(file, error)
  } finally {
    await handle.close()
  }
}

async function fileError(file: string, error: unknown): Promise<RiftError> {
  const code = (error as {code?: string}).code
  if (code === 'ENOENT') {
    const guess = await nearbyFile(file)
    return new RiftError('RIFT_FILE_NOT_FOUND', `No such file: ${file}${guess ? `. Did you mean ${guess}?` : ''}`, {
      suggestions: ['Check the path, or scaffold an experiment with: rift init'],
    })
  }
  if (code === 'EISDIR') {
    return new RiftError('RIFT_FILE_UNREADABLE', `${file} is a directory; name an experiment file (.yaml or .json) in it`, {
      suggestions: [`List the experiments in it: ls ${file}`],
    })
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message
  return new RiftError('RIFT_FILE_UNREADABLE', `Cannot read ${file}: ${reason}`, {
    suggestions: [`Check that the file exists and is readable: ls -l ${file}`],
  })
}

/** `experiments/regoin.yaml` → `experiments/region.yaml`, when the directory has a close match. */
async function nearbyFile(file: string): Promise<string | undefined> {
  try {
    const directory = dirname(file)
    const names = (await readdir(directory)).filter((name) => ['.yaml', '.yml', '.json'].includes(extname(name)))
    const guess = didYouMean(basename(file), names)
    return guess === undefined ? undefined : directory === '.' && !file.startsWith('./') ? guess : `${directory}/${guess}`
  } catch {
    return undefined
  }
}
