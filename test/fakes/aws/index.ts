/**
 * The AWS fakes together, as rift's tests use them: FIS and STS (and Route 53) on loopback, the environment
 * that points the real SDK at them, and fake credentials so the SDK never looks for real ones (nor for
 * instance metadata).
 */
import {FakeFis, type FakeFisOptions} from './fis.js'
import {FakeRoute53} from './route53.js'
import {FakeSts} from './sts.js'

export {FakeFis} from './fis.js'
export {FakeRoute53} from './route53.js'
export {FakeSts} from './sts.js'

/** Credentials no real account has; tests grep the run folder for them. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIARIFTFAKEKEY12345',
  AWS_SECRET_ACCESS_KEY: 'riftFakeSecretKey/DoNotLeak+0123456789abcd',
  AWS_SESSION_TOKEN: 'riftFakeSessionToken//DoNotLeak0123456789',
}

export const ACCOUNT = '111122223333'

export interface FakeAws {
  close(): Promise<void>
  /** Every fake back to empty, between tests. */
  reset(): void
  /** Environment for the SDK (and a child `rift` process): endpoints, fake credentials, no metadata lookups. */
  env: Record<string, string>
  fis: FakeFis
  route53: FakeRoute53
  sts: FakeSts
}

export async function startFakeAws(options: {fis?: FakeFisOptions} = {}): Promise<FakeAws> {
  const fis = await new FakeFis({account: ACCOUNT, ...options.fis}).start()
  const sts = await new FakeSts(ACCOUNT).start()
  const route53 = await new FakeRoute53().start()
  return {
    close: async () => {
      await Promise.all([fis.close(), sts.close(), route53.close()])
    },
    reset: () => {
      fis.reset()
      route53.reset()
      sts.reset()
    },
    env: {
      ...FAKE_CREDENTIALS,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_FIS: fis.url,
      AWS_ENDPOINT_URL_ROUTE_53: route53.url,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'us-east-1',
    },
    fis,
    route53,
    sts,
  }
}

/** Sets the environment in this process (for in-process driver tests); returns a function that restores it. */
export function useEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
  Object.assign(process.env, env)
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}
