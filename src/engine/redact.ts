/**
 * Secrets never reach the run folder or the terminal: values of the environment variables that hold
 * credentials (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, any *TOKEN, *SECRET, *PASSWORD …) are replaced
 * wherever they appear in what rift writes. Drivers are expected never to put them there; this is the
 * net under that rule, for the error message that quotes more than it should.
 */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|ACCESS_KEY|PRIVATE_KEY|API_KEY/i
/** Short values ("1", "true") would redact innocent text; real secrets are long. */
const MIN_SECRET_LENGTH = 8

export const REDACTED = '[redacted]'

export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value!)
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(values)].sort((a, b) => b.length - a.length)
}

let fromEnvironment: string[] | undefined

/** Replaces every secret in `text`; by default the secrets of this process's environment, read once. */
export function redact(text: string, secrets: string[] = (fromEnvironment ??= secretValues())): string {
  let result = text
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  return result
}
