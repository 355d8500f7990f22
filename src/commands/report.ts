import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {Args, Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import type {Verdict} from '../engine/verdict.js'
import {RiftError} from '../errors.js'
import {compareJournals} from '../reports/compare.js'
import {readComparedJournals} from '../reports/compare-input.js'
import {COMPARE_FORMATS, renderComparison, type CompareFormat} from '../reports/compare-render.js'
import {locateJournal, readJournalFile} from '../reports/journal-file.js'
import {REPORT_FORMATS, renderReport, type ReportFormat} from '../reports/render.js'
import {RIFT_VERSION} from '../version.js'

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

/** `rift report --compare`: the runs set side by side, in the order given. */
export interface CompareResult {
  compared: {journal: string; runId: string; verdict: Verdict}[]
  content?: string
  format: CompareFormat
  output: string | null
}

export default class Report extends RiftCommand<ReportResult | CompareResult> {
  static override args = {
    run: Args.string({description: 'a run folder, its journal.json, or a run id; default: the latest run. With --compare: two or more of them'}),
  }
  // Variadic only with --compare; run() refuses extra runs without it.
  static override strict = false
  static override description = `Re-render a past run from its journal: the Markdown summary, the HTML report with charts, JUnit XML, or the journal itself.

Every run already writes summary.md, report.html and junit.xml beside its journal.json; this command renders them again, for example from a journal downloaded from CI or after upgrading rift. The report goes to stdout unless --output names a file. Exits 0 whatever the run's verdict: the verdict is the content, not an error.

With --compare, two or more runs are set side by side in one table (md, html or json): experiment, verdict, failover time, lost writes, RPO, acknowledged writes, write latency, availability, error rate, latency and each SLO. A figure a run did not measure shows as n/a, with the reason in a note.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> .rift/runs/20261126-142447-823d --format html --output report.html',
    '<%= config.bin %> <%= command.id %> 20261126-142447-823d --format junit > junit.xml',
    '<%= config.bin %> <%= command.id %> downloaded/journal.json --format md >> "$GITHUB_STEP_SUMMARY"',
    '<%= config.bin %> <%= command.id %> --compare 20261126-153624-c498 20261126-153639-7687',
    '<%= config.bin %> <%= command.id %> --compare .rift/runs/20261126-153624-c498 downloaded/journal.json --format html --output async-vs-sync.html',
  ]
  static override flags = {
    compare: Flags.boolean({default: false, description: 'set two or more runs side by side in one table (formats md, html, json)'}),
    format: Flags.string({char: 'f', default: 'md', description: 'md (summary), html (self-contained page with charts), junit (XML), json (the journal); with --compare: md, html or json (the table)', options: [...REPORT_FORMATS]}),
    output: Flags.string({char: 'o', description: 'write the report to this file instead of stdout'}),
  }

  public async run(): Promise<ReportResult | CompareResult> {
    const {args, argv, flags} = await this.parse(Report)
    const runs = argv as string[]
    if (flags.compare) return this.compare(runs, flags.format, flags.output)
    if (runs.length > 1) {
      throw new RiftError('RIFT_USAGE', `rift report renders one run, and was given ${runs.length}: ${runs.join(', ')}`, {
        suggestions: [`To set them side by side: rift report --compare ${runs.join(' ')}`],
      })
    }
    const format = flags.format as ReportFormat
    const file = await locateJournal(args.run)
    const journal = await readJournalFile(file)
    const content = renderReport(journal, format)
    const base = {format, journal: file, runId: journal.runId, verdict: journal.verdict}
    const output = await this.deliver(content, flags.output, `the ${format} report of run ${journal.runId} (${journal.verdict})`)
    return output === null ? {...base, content, output} : {...base, output}
  }

  private async compare(runs: string[], format: string, file: string | undefined): Promise<CompareResult> {
    if (!(COMPARE_FORMATS as readonly string[]).includes(format)) {
      throw new RiftError('RIFT_USAGE', `--compare renders ${COMPARE_FORMATS.join(', ')}, not ${format}`, {suggestions: ['Use --format md, html or json with --compare']})
    }
    const read = await readComparedJournals(runs)
    const comparison = compareJournals(read.map((each) => each.journal), read.map((each) => path.resolve(each.file)))
    const content = renderComparison(comparison, format as CompareFormat, RIFT_VERSION)
    const compared = comparison.runs.map((run) => ({journal: run.journal, runId: run.runId, verdict: run.verdict}))
    const output = await this.deliver(content, file, `the ${format} comparison of ${read.length} runs`)
    return output === null ? {compared, content, format: format as CompareFormat, output} : {compared, format: format as CompareFormat, output}
  }

  /** Writes `content` to `file` (and says so), or to stdout; returns the file written, or null. */
  private async deliver(content: string, file: string | undefined, what: string): Promise<string | null> {
    if (file) {
      const output = path.resolve(file)
      await mkdir(path.dirname(output), {recursive: true})
      await writeFile(output, content)
      this.say(`Wrote ${what} to ${output}`)
      return output
    }
    if (!this.jsonEnabled()) process.stdout.write(content.endsWith('\n') ? content : content + '\n')
    return null
  }
}
