/** Every report a journal can be rendered as, by the name `rift report --format` takes. */
import type {Journal} from '../engine/journal.js'
import {renderHtml} from './html.js'
import {renderJunit} from './junit.js'
import {renderMarkdown} from './markdown.js'

export const REPORT_FORMATS = ['md', 'html', 'junit', 'json'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export function renderReport(journal: Journal, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(journal)
    case 'html':
      return renderHtml(journal)
    case 'junit':
      return renderJunit(journal)
    case 'json':
      return JSON.stringify(journal, null, 2) + '\n'
  }
}
