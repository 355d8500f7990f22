/** The few HTTP chores the nodes and the router share: JSON replies, bounded bodies, `/kv/<key>` paths. */
import type {IncomingMessage, ServerResponse} from 'node:http'

/** Values are small by design; anything larger is refused rather than buffered. */
export const MAX_VALUE_BYTES = 1024 * 1024

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-length': Buffer.byteLength(text), 'content-type': 'application/json; charset=utf-8', ...headers})
  res.end(text)
}

/** The whole body, or undefined when it exceeds `limit` bytes (the rest is drained, not stored). */
export function readBody(req: IncomingMessage, limit = MAX_VALUE_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined))
    req.on('error', reject)
  })
}

/** The key of a `/kv/<key>` path (percent-decoded, query ignored); undefined for other paths or an empty key. */
export function kvKey(url: string | undefined): string | undefined {
  const path = (url ?? '/').split('?')[0]!
  if (!path.startsWith('/kv/') || path.length === 4) return undefined
  try {
    return decodeURIComponent(path.slice(4))
  } catch {
    return undefined
  }
}

export function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!
}
