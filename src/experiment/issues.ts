/**
 * Validation problems as users see them: every problem in a file, each located by line and column and named
 * by its field path, in one message. The same objects are the `details.issues` of the `--json` error.
 */

/** One step of a path into the document: a mapping key or a list index. */
export type PathSegment = string | number

export interface ValidationIssue {
  /** The field, as written in messages: `method[1].region`; empty for problems with the file as a whole. */
  path: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** What is wrong, naming what was expected and what was found. */
  message: string
  /** What would have been valid, when it can be said briefly: `a duration`, `one of: wait, fault`. */
  expected?: string
  /** The closest valid value, when the input looks like a typo of it. */
  suggestion?: string
}

/** A problem before it is located in the source: the locator turns the path into a line and column. */
export interface IssueDraft {
  path: readonly PathSegment[]
  /** `key` points at a mapping key (unknown keys); `value` (the default) at the value under the path. */
  target?: 'key' | 'value'
  message: string
  expected?: string
  suggestion?: string
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/

/** `['method', 1, 'region']` → `method[1].region`; odd keys are quoted: `slos["my slo"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}

/** In source order; the same problem found twice (say, by two checks) is reported once. */
export function sortIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>()
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((issue) => {
      const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}

/**
 * ```
 * experiments/x.yaml is not a valid experiment (2 problems)
 *   experiments/x.yaml:23:7  method[1].region  unknown region "us-eats". Did you mean "us-east"?
 * ```
 * `file:line:column` first, so terminals and editors make it a link.
 */
export function formatIssues(file: string, issues: readonly ValidationIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  const lines = issues.map((issue) => {
    const where = `${file}:${issue.line}:${issue.column}`
    return issue.path === '' ? `  ${where}  ${issue.message}` : `  ${where}  ${issue.path}  ${issue.message}`
  })
  return [`${file} is not a valid experiment (${count})`, ...lines].join('\n')
}

/** `"abc"`, `5`, `a list`: how a found value is named in messages, short enough for one line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'an empty value'
  if (typeof value === 'string') {
    if (value === '') return 'an empty string'
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`
  if (value instanceof Uint8Array) return 'binary data'
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping'
  return typeof value
}

/** `did you mean` as appended to messages. */
export function withGuess(message: string, guess: string | undefined): string {
  return guess === undefined ? message : `${message}. Did you mean "${guess}"?`
}
