/**
 * A tagged template that escapes every interpolation unless it is already markup: titles, probe details and
 * driver messages come from user YAML and remote systems, so escaping is the default, not something to
 * remember at each call site.
 */
export class Markup {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text
  }
}

export type Fragment = Markup | string | number | boolean | null | undefined | readonly Fragment[]

const ENTITIES: Record<string, string> = {'"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;'}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!)
}

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Markup) return value.text
  if (Array.isArray(value)) return value.map((item: Fragment) => render(item)).join('')
  return escapeHtml(String(value))
}

export function html(strings: TemplateStringsArray, ...values: Fragment[]): Markup {
  let out = strings[0] ?? ''
  for (const [index, value] of values.entries()) out += render(value) + (strings[index + 1] ?? '')
  return new Markup(out)
}

/** Trusted markup: only for text rift itself wrote (its stylesheet, its scripts). */
export function raw(text: string): Markup {
  return new Markup(text)
}

/**
 * A script's content: `</script` or `<!--` inside it would end or confuse the element, and U+2028/9 are
 * line ends to older parsers. In JSON they are only ever inside strings, where the escapes mean the same.
 */
export function scriptSafe(text: string): string {
  return text
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** Data for the page's script: JSON with `<` escaped, so no string in it can close the script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
