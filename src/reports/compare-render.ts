/** Every form a comparison can be rendered in, by the name `rift report --compare --format` takes. */
import type {Comparison} from './compare.js'
import {renderCompareHtml} from './compare-html.js'
import {renderCompareMarkdown} from './compare-markdown.js'

export const COMPARE_FORMATS = ['md', 'html', 'json'] as const
export type CompareFormat = (typeof COMPARE_FORMATS)[number]

export function renderComparison(comparison: Comparison, format: CompareFormat, rift: string): string {
  switch (format) {
    case 'md':
      return renderCompareMarkdown(comparison)
    case 'html':
      return renderCompareHtml(comparison, rift)
    case 'json':
      return JSON.stringify(comparison, null, 2) + '\n'
  }
}
