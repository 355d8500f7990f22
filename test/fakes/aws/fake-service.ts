/**
 * What the three AWS fakes share: a node:http server on 127.0.0.1:0, a record of every request (for
 * assertions on the wire), and error injection by operation name. Each fake says how to name a request's
 * operation and how its protocol spells an error; the rest is here.
 *
 * The region of a request comes from its SigV4 credential scope (`Credential=AKID/<date>/<region>/<service>/…`),
 * so one fake answers for every region, as the real regional endpoints would each answer for theirs.
 */
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface RecordedRequest {
  body: string
  headers: IncomingMessage['headers']
  method: string
  operation: string
  path: string
  query: URLSearchParams
  /** From the SigV4 credential scope; `unsigned` when the request carried none. */
  region: string
}

/** A planned failure: answer the next `times` calls of an operation with this error instead. */
export interface InjectedError {
  code: string
  message?: string
  status: number
  times?: number
}

export interface Reply {
  body: string
  contentType: string
  headers?: Record<string, string>
  status: number
}

export interface Route {
  handle(request: RecordedRequest): Reply | Promise<Reply>
  operation: string
}

export abstract class FakeService {
  readonly requests: RecordedRequest[] = []
  readonly #before = new Map<string, (request: RecordedRequest) => void>()
  readonly #errors = new Map<string, InjectedError[]>()
  readonly #held = new Set<string>()
  readonly #pending = new Set<ServerResponse>()
  #server: Server | undefined
  url = ''

  /** Maps a request to its operation and handler; undefined answers 404 UnknownOperation. */
  protected abstract route(method: string, path: string, query: URLSearchParams, body: string): Route | undefined

  /** The protocol's error envelope. */
  protected abstract errorReply(status: number, code: string, message: string): Reply

  /** The next call(s) of `operation` fail with this error; queued errors are used in order. */
  failNext(operation: string, error: InjectedError): this {
    const queue = this.#errors.get(operation) ?? []
    queue.push(error)
    this.#errors.set(operation, queue)
    return this
  }

  /**
   * Calls of `operation` take effect (the state changes) but are never answered, as when the caller dies
   * after the service acted and before the answer arrived.
   */
  holdResponses(operation: string): this {
    this.#held.add(operation)
    return this
  }

  /** Runs `hook` when a call of `operation` arrives, before it is handled: to make the world change "just then". */
  before(operation: string, hook: (request: RecordedRequest) => void): this {
    this.#before.set(operation, hook)
    return this
  }

  /** Forgets requests, planned errors, held responses and hooks (state is each fake's own). */
  resetControls(): void {
    this.requests.length = 0
    this.#errors.clear()
    this.#held.clear()
    this.#before.clear()
  }

  releaseResponses(operation: string): this {
    this.#held.delete(operation)
    return this
  }

  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation)
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => void this.#serve(request, response))
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    for (const response of this.#pending) response.destroy()
    this.#server?.closeAllConnections()
    await new Promise((resolve) => this.#server?.close(resolve) ?? resolve(undefined))
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(request.url ?? '/', 'http://fake')
    const method = request.method ?? 'GET'
    const route = this.route(method, url.pathname, url.searchParams, body)
    const recorded: RecordedRequest = {
      body,
      headers: request.headers,
      method,
      operation: route?.operation ?? 'Unknown',
      path: url.pathname,
      query: url.searchParams,
      region: regionOf(request.headers.authorization),
    }
    this.requests.push(recorded)
    this.#before.get(recorded.operation)?.(recorded)
    let reply: Reply
    const injected = this.#takeError(recorded.operation)
    if (!route) reply = this.errorReply(404, 'UnknownOperationException', `no operation at ${method} ${url.pathname}`)
    else if (injected) reply = this.errorReply(injected.status, injected.code, injected.message ?? `injected ${injected.code}`)
    else {
      try {
        reply = await route.handle(recorded)
      } catch (error) {
        reply = error instanceof ServiceError ? this.errorReply(error.status, error.code, error.message) : this.errorReply(500, 'InternalFailure', String(error))
      }
    }
    if (this.#held.has(recorded.operation)) {
      this.#pending.add(response)
      return
    }
    response.writeHead(reply.status, {'content-type': reply.contentType, 'x-amzn-requestid': randomUUID(), ...reply.headers})
    response.end(reply.body)
  }

  #takeError(operation: string): InjectedError | undefined {
    const queue = this.#errors.get(operation)
    const next = queue?.[0]
    if (!next) return undefined
    next.times = (next.times ?? 1) - 1
    if (next.times <= 0) queue.shift()
    return next
  }
}

/** Thrown by a handler: becomes the protocol's error envelope. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function regionOf(authorization: string | undefined): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? '')?.[1] ?? 'unsigned'
}

/** Random upper-case alphanumerics, as in AWS ids (`EXT…`, `EXP…`, `C…`). */
export function awsId(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  let id = prefix
  for (let index = 0; index < length; index += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)]
  return id
}
