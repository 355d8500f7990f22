/**
 * A fake of AWS STS GetCallerIdentity (awsQuery protocol, 2011-06-15), for the real @aws-sdk/client-sts:
 * `POST /` with a form body `Action=GetCallerIdentity&Version=2011-06-15`, answered in XML. The identity it
 * reports is settable, so a test can point rift at "the wrong account".
 */
import {randomUUID} from 'node:crypto'

import {FakeService, type Reply, type Route} from './fake-service.js'

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

export class FakeSts extends FakeService {
  account: string
  arn: string
  userId = 'AIDAFAKEUSERID000000'
  readonly #initial: string

  constructor(account = '111122223333') {
    super()
    this.#initial = account
    this.account = account
    this.arn = `arn:aws:iam::${account}:user/rift-tester`
  }

  /** Back to the account it started with, and no controls. */
  reset(): void {
    this.setIdentity(this.#initial)
    this.resetControls()
  }

  /** Who the caller is from now on. */
  setIdentity(account: string, arn = `arn:aws:iam::${account}:user/rift-tester`): void {
    this.account = account
    this.arn = arn
  }

  protected route(method: string, path: string, _query: URLSearchParams, body: string): Route | undefined {
    const action = new URLSearchParams(body).get('Action')
    if (method !== 'POST' || path !== '/' || action !== 'GetCallerIdentity') return undefined
    return {
      handle: () => ({
        body: `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${this.arn}</Arn><UserId>${this.userId}</UserId><Account>${this.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        contentType: 'text/xml',
        status: 200,
      }),
      operation: 'GetCallerIdentity',
    }
  }

  protected errorReply(status: number, code: string, message: string): Reply {
    const type = status >= 500 ? 'Receiver' : 'Sender'
    return {
      body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      contentType: 'text/xml',
      status,
    }
  }
}
