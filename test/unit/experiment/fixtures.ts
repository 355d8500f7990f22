/** Loading fixtures from test/fixtures/experiments, and the shape tests compare problems in. */
import {relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'vitest'

import {isRiftError, type RiftError} from '../../../src/errors.js'
import type {ValidationIssue} from '../../../src/experiment/issues.js'
import {loadExperiment} from '../../../src/experiment/load.js'
import {testRegistry} from './drivers.js'

/** As users name it: relative to the working directory (the repository root under vitest). */
export function fixture(name: string): string {
  return relative(process.cwd(), fileURLToPath(new URL(`../../fixtures/experiments/${name}`, import.meta.url)))
}

/** The RiftError a call rejects or throws with; fails the test when there is none. */
export async function rejection(run: () => unknown): Promise<RiftError> {
  try {
    await run()
  } catch (error) {
    if (isRiftError(error)) return error
    throw error
  }
  throw new Error('expected a RiftError, but nothing was thrown')
}

export function issuesOf(error: RiftError): ValidationIssue[] {
  expect(error.code).toBe('RIFT_EXPERIMENT_INVALID')
  return (error.details as {issues: ValidationIssue[]}).issues
}

/** `line:column path: message`, one per problem: compact enough for inline snapshots. */
export function summarise(issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => `${issue.line}:${issue.column} ${issue.path || '(file)'}: ${issue.message}`)
}

/** Every problem `loadExperiment` reports for a fixture, validated against the test drivers. */
export async function problems(name: string): Promise<string[]> {
  const error = await rejection(() => loadExperiment(fixture(name), testRegistry()))
  return summarise(issuesOf(error))
}
