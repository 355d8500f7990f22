/**
 * The reports written into each run folder beside journal.json: junit.xml for CI test views, summary.md
 * (also appended to `$GITHUB_STEP_SUMMARY` when that is set) and report.html. Each file is attempted on its
 * own and nothing here throws: what fails comes back as a warning for the journal, never a broken run.
 */
import {appendFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {Journal} from '../engine/journal.js'
import {errorMessage} from '../errors.js'
import {renderHtml} from './html.js'
import {renderJunit} from './junit.js'
import {renderMarkdown} from './markdown.js'

export const REPORT_FILES = {html: 'report.html', junit: 'junit.xml', markdown: 'summary.md'} as const

export interface WriteReportsOptions {
  /** Where `summary.md` is appended as well; default `$GITHUB_STEP_SUMMARY`, unset to skip. */
  stepSummary?: string | undefined
}

/** Writes the three reports into `journal.paths.dir`; returns one warning per file that could not be written. */
export async function writeRunReports(journal: Journal, options: WriteReportsOptions = {}): Promise<string[]> {
  const warnings: string[] = []
  const stepSummary = 'stepSummary' in options ? options.stepSummary : process.env.GITHUB_STEP_SUMMARY
  const attempt = async (what: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write()
    } catch (error) {
      warnings.push(`could not write ${what}: ${errorMessage(error)}`)
    }
  }
  const target = (file: string) => path.join(journal.paths.dir, file)
  let markdown: string | undefined
  await attempt(target(REPORT_FILES.junit), () => writeAtomically(target(REPORT_FILES.junit), renderJunit(journal)))
  await attempt(target(REPORT_FILES.markdown), async () => {
    markdown = renderMarkdown(journal)
    await writeAtomically(target(REPORT_FILES.markdown), markdown)
  })
  await attempt(target(REPORT_FILES.html), () => writeAtomically(target(REPORT_FILES.html), renderHtml(journal)))
  if (stepSummary) {
    await attempt(`the GitHub step summary ${stepSummary}`, async () => appendFile(stepSummary, (markdown ?? renderMarkdown(journal)) + '\n'))
  }
  return warnings
}

/** A reader (a browser reloading, a CI upload) never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, file)
}
