import {Flags} from '@oclif/core'

import {RiftCommand} from '../base-command.js'
import {runsDir, stateDir} from '../engine/run-dir.js'
import {formatDate, formatMs} from '../reports/figures.js'
import {listRuns, type RunList} from '../reports/run-list.js'

export interface RunsResult extends RunList {
  runsDir: string
}

export default class Runs extends RiftCommand<RunsResult> {
  static override description = `List past runs, newest first: run id, start time, verdict, exit code, duration and experiment.

Runs are read from .rift/runs/ (or $RIFT_HOME/runs/). A run without a journal is still running or stopped before writing one; rift rollback reverts what such a run left. Re-render any run with rift report <run-id>.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --limit 5',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override flags = {
    limit: Flags.integer({default: 20, description: 'show at most this many runs', min: 1}),
  }

  public async run(): Promise<RunsResult> {
    const {flags} = await this.parse(Runs)
    const dir = runsDir(stateDir())
    const list = await listRuns({limit: flags.limit})
    if (list.total === 0) {
      this.say(`No runs recorded in ${dir}. Run one with: rift run <experiment.yaml>`)
      return {...list, runsDir: dir}
    }
    const rows = list.runs.map((run) => [
      run.runId,
      run.startedAt ? formatDate(run.startedAt).replace(' UTC', '') : '—',
      run.verdict ?? (run.problem?.startsWith('no journal') ? 'no journal' : 'unreadable'),
      run.exitCode === null ? '—' : String(run.exitCode),
      run.durationMs === null ? '—' : formatMs(run.durationMs),
      run.title ?? run.problem ?? '',
    ])
    for (const line of table(['RUN ID', 'STARTED (UTC)', 'VERDICT', 'EXIT', 'DURATION', 'EXPERIMENT'], rows)) this.say(line)
    if (list.total > list.runs.length) this.say(`… ${list.total - list.runs.length} older run(s) not shown; see them with --limit ${list.total}`)
    return {...list, runsDir: dir}
  }
}

/** Columns padded to their widest cell; the last one runs free. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')
  return [line(head), ...rows.map(line)]
}
