import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import type {Verdict} from '../engine/verdict.js'
import {locateJournal, readJournalFile} from '../reports/journal-file.js'
import {REPORT_FORMATS, renderReport, type ReportFormat} from '../reports/render.js'

export interface ReportResult {
  /** The rendered report, when it went to stdout rather than a file. */
  content?: string
  format: ReportFormat
  journal: string
  /** The file written, or null when the report went to stdout. */
  output: string | null
  runId: string
  verdict: Verdict
}

export default class Report extends RiftCommand<ReportResult> {
  static override args = {
    run: Args.string({description: 'a run folder, its journal.json, or a run id; default: the latest run'}),
  }
  static override description = `Re-render a past run from its journal: the Markdown summary, the HTML report with charts, JUnit XML, or the journal itself.

Every run already writes summary.md, report.html and junit.xml beside its journal.json; this command renders them again, for example from a journal downloaded from CI or after upgrading rift. The report goes to stdout unless --output names a file. Exits 0 whatever the run's verdict: the verdict is the content, not an error.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> .rift/runs/20261126-142447-823d --format html --output report.html',
    '<%= config.bin %> <%= command.id %> 20261126-142447-823d --format junit > junit.xml',
    '<%= config.bin %> <%= command.id %> downloaded/journal.json --format md >> "$GITHUB_STEP_SUMMARY"',
  ]
  static override flags = {
    format: Flags.string({char: 'f', default: 'md', description: 'md (summary), html (self-contained page with charts), junit (XML), json (the journal)', options: [...REPORT_FORMATS]}),
    output: Flags.string({char: 'o', description: 'write the report to this file instead of stdout'}),
  }

  public async run(): Promise<ReportResult> {
    const {args, flags} = await this.parse(Report)
    const format = flags.format as ReportFormat
    const file = await locateJournal(args.run)
    const journal = await readJournalFile(file)
    const content = renderReport(journal, format)
    const base = {format, journal: file, runId: journal.runId, verdict: journal.verdict}
    if (flags.output) {
      const output = path.resolve(flags.output)
      await mkdir(path.dirname(output), {recursive: true})
      await writeFile(output, content)
      this.say(`Wrote the ${format} report of run ${journal.runId} (${journal.verdict}) to ${output}`)
      return {...base, output}
    }
    if (!this.jsonEnabled()) process.stdout.write(content.endsWith('\n') ? content : content + '\n')
    return {...base, content, output: null}
  }
}
