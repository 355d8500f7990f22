/** Reading request bodies. */
import type {IncomingMessage} from 'node:http'

/** Past the cap the reply is 400 `bad request body: http: request body too large`, Go's MaxBytesReader text. */
export class BodyTooLarge extends Error {}

export const MAX_BODY_BYTES = 16 * 1024 * 1024

/** The whole request body (Go reads only the first JSON value; the cap keeps memory bounded). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new BodyTooLarge('http: request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
