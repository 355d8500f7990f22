/**
 * `rift run --live` with the aws-fis driver, as a user runs it: the built CLI in its own process, the real
 * AWS SDK inside it, pointed by AWS_ENDPOINT_URL_FIS / _STS at the stateful fakes in this process. The
 * fakes' state, not rift's output, proves what was injected and reverted.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {ACCOUNT, FAKE_CREDENTIALS, startFakeAws, type FakeAws} from '../fakes/aws/index.js'
import {ledgerText, readJson, rift, STACK_FRAME, start, until, workspace} from './cli.js'

const ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:checkout-p99`

function experiment(options: {duration?: string; guardrails?: string} = {}): string {
  return `version: rift/v1
title: us-east-1 and eu-west-1 cannot reach each other
topology:
  regions:
    - {name: us-east-1, tags: {rift-region: us-east-1}}
    - {name: eu-west-1, tags: {rift-region: eu-west-1}}
driver:
  aws-fis:
    roleArn: arn:aws:iam::${ACCOUNT}:role/rift-fis
    stopConditions: [${ALARM}]
    pollInterval: 20ms
    maxAttempts: 1
    startTimeout: 10s
${options.guardrails ?? `guardrails:
  allowAccounts: ["${ACCOUNT}"]
  allowRegions: [us-east-1, eu-west-1]`}
method:
  - fault: partition
    from: us-east-1
    to: eu-west-1
    duration: ${options.duration ?? '300ms'}
`
}

let aws: FakeAws

beforeAll(async () => {
  aws = await startFakeAws({fis: {timing: {initiatingMs: 10, stoppingMs: 10}}})
})
afterAll(async () => {
  await aws.close()
})
beforeEach(() => {
  aws.reset()
  for (const region of ['us-east-1', 'eu-west-1']) {
    aws.fis.addResource({arn: `arn:aws:ec2:${region}:${ACCOUNT}:subnet/subnet-${region}`, region, tags: {'rift-region': region}, type: 'aws:ec2:subnet'})
  }
})

async function setup(text = experiment()): Promise<string> {
  const cwd = await workspace()
  await writeFile(path.join(cwd, 'aws.yaml'), text)
  return cwd
}

/** Every file under the run folder, as text. */
function runFolderText(cwd: string): string {
  const texts: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name)
      if (statSync(file).isDirectory()) walk(file)
      else texts.push(readFileSync(file, 'utf8'))
    }
  }
  walk(path.join(cwd, '.rift'))
  return texts.join('\n')
}

describe('rift run --live with aws-fis', () => {
  it('checks the account, injects a two-way partition as two experiments, verifies, and stops them', async () => {
    const cwd = await setup()
    const result = await rift(['run', 'aws.yaml', '--live', '--yes', '--json'], cwd, aws.env)
    expect(result.stderr).not.toMatch(STACK_FRAME)
    const journal = JSON.parse(result.stdout)
    expect(journal.reason).toMatch(/hypothesis held/)
    expect(result.code).toBe(0)

    // The fakes say what happened: STS first, then one experiment per region, both stopped, templates gone.
    expect(aws.sts.calls('GetCallerIdentity')).toHaveLength(1)
    const experiments = aws.fis.list()
    expect(experiments.map((e) => [e.region, e.status]).sort()).toEqual([['eu-west-1', 'stopped'], ['us-east-1', 'stopped']])
    for (const e of experiments) {
      expect(e.tags).toMatchObject({'rift:fault-id': 'f1', 'rift:run-id': journal.runId})
      expect(e.clientToken).toBe(`rift-${journal.runId}-f1-${e.region}-start`)
      expect(e.template.body.stopConditions).toEqual([{source: 'aws:cloudwatch:alarm', value: ALARM}])
      expect(Object.values<any>(e.template.body.actions).map((action) => action.parameters.duration)).toEqual(['PT1M'])
      expect(e.startedAt).toBeDefined()
    }
    expect(aws.fis.templates.size).toBe(0)
    expect(aws.fis.calls('StopExperiment')).toHaveLength(2)

    expect(journal.faults).toEqual([expect.objectContaining({id: 'f1', landed: true, revert: 'reverted'})])
    expect(journal.faults[0].landedDetail).toMatch(/running isolate-subnets-from-eu-west-1 on 1 resource/)
    expect(journal.timeline.find((event: {event: string}) => event.event === 'driver:identity').detail).toBe(`aws-fis: account ${ACCOUNT} as arn:aws:iam::${ACCOUNT}:user/rift-tester`)
  })

  it('refuses without --live before connecting anything (exit 2)', async () => {
    const cwd = await setup()
    const result = await rift(['run', 'aws.yaml', '--json'], cwd, aws.env)
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout).error).toMatchObject({code: 'RIFT_LIVE_OPT_IN_REQUIRED', message: expect.stringMatching(/live driver aws-fis.*--live/)})
    expect([...aws.fis.requests, ...aws.sts.requests]).toEqual([])
  })

  it('with --live but no terminal to confirm on and no --yes, refuses (exit 2)', async () => {
    const cwd = await setup()
    const result = await rift(['run', 'aws.yaml', '--live'], cwd, aws.env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Code: RIFT_LIVE_NOT_CONFIRMED/)
    expect(result.stderr).toMatch(/--live --yes/)
    expect([...aws.fis.requests, ...aws.sts.requests]).toEqual([])
  })

  it('refuses credentials of an account outside guardrails.allowAccounts (exit 4), changing nothing', async () => {
    aws.sts.setIdentity('999988887777')
    const cwd = await setup()
    const result = await rift(['run', 'aws.yaml', '--live', '--yes', '--json'], cwd, aws.env)
    expect(result.code).toBe(4)
    const journal = JSON.parse(result.stdout)
    expect(journal.errors).toEqual([expect.objectContaining({code: 'RIFT_PREFLIGHT_FAILED', message: expect.stringMatching(/account 999988887777, which is not in guardrails.allowAccounts \[111122223333\]/)})])
    expect(aws.fis.requests).toEqual([])
  })

  it('rift validate refuses a live experiment without account and region allowlists', async () => {
    const cwd = await setup(experiment({guardrails: ''}))
    const result = await rift(['validate', 'aws.yaml'], cwd, aws.env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/needs guardrails\.allowAccounts/)
    expect(result.stderr).toMatch(/needs guardrails\.allowRegions/)
  })

  it('rift plan says a two-way partition runs in both regions, and calls no AWS API', async () => {
    const cwd = await setup()
    const result = await rift(['plan', 'aws.yaml'], cwd, aws.env)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/f1 partition via aws-fis on FIS experiments in us-east-1, eu-west-1/)
    expect(result.stdout).toMatch(/in us-east-1: isolate-subnets-from-eu-west-1: aws:network:route-table-disrupt-cross-region-connectivity/)
    expect(result.stdout).toMatch(/in eu-west-1: isolate-subnets-from-us-east-1/)
    expect(result.stdout).toMatch(/fidelity: .*two-way partition runs two experiments, one in us-east-1 and one in eu-west-1/)
    expect([...aws.fis.requests, ...aws.sts.requests]).toEqual([])
  })

  it('a stop condition firing mid-run: the fault ends early, the run is inconclusive (exit 7) and the journal says why', async () => {
    const cwd = await setup(experiment({duration: '5s'}))
    const run = start(['run', 'aws.yaml', '--live', '--yes', '--json'], cwd, aws.env)
    // After rift verified the fault (it lists the resolved targets of each experiment once).
    await until(() => aws.fis.calls('ListExperimentResolvedTargets').length === 2, 'the fault to be verified')
    aws.fis.setAlarm(ALARM, 'ALARM')
    const result = await run.done
    const journal = JSON.parse(result.stdout)
    expect(result.code).toBe(7)
    expect(journal.reason).toMatch(/fault f1 .* did not hold for its duration: experiment EXP\w+ in (us-east-1|eu-west-1) is stopped: Experiment stopped by stop condition/)
    expect(journal.faults[0]).toMatchObject({landed: false, landedDetail: expect.stringMatching(/^ended before its duration/)})
    expect(journal.faults[0].revert).toBe('already-reverted')
    expect(journal.warnings.join('\n')).toMatch(/already stopped when rift came to stop it: Experiment stopped by stop condition/)
    expect(aws.fis.calls('StopExperiment')).toEqual([])
  })

  it('after kill -9 while the experiments run, rift rollback stops them; a second rollback finds nothing', async () => {
    const cwd = await setup(experiment({duration: '60s'}))
    const run = start(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    await until(() => ledgerText(cwd).includes('"type":"injected"'), 'the fault to be injected')
    run.child.kill('SIGKILL')
    await run.done
    expect(aws.fis.active().map((e) => e.status)).toEqual(['running', 'running'])

    const rollback = await rift(['rollback'], cwd, aws.env)
    expect(rollback.stderr).not.toMatch(STACK_FRAME)
    expect(rollback.code).toBe(0)
    expect(rollback.stdout).toMatch(/f1 partition on FIS experiments in us-east-1, eu-west-1 \(aws-fis\): reverted/)
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.templates.size).toBe(0)
    const again = await rift(['rollback', '--json'], cwd, aws.env)
    expect(JSON.parse(again.stdout)).toMatchObject({nothingToDo: true})
  })

  it('on SIGINT stops both experiments before it exits (130)', async () => {
    const cwd = await setup(experiment({duration: '60s'}))
    const run = start(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    await until(() => ledgerText(cwd).includes('"type":"injected"'), 'the fault to be injected')
    run.child.kill('SIGINT')
    const result = await run.done
    expect(result.code).toBe(130)
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.list().map((e) => e.status)).toEqual(['stopped', 'stopped'])
  })

  it('rift rollback refuses credentials of another account than the run acted in, and leaves the fault for the right ones', async () => {
    const cwd = await setup(experiment({duration: '60s'}))
    const run = start(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    await until(() => ledgerText(cwd).includes('"type":"injected"'), 'the fault to be injected')
    run.child.kill('SIGKILL')
    await run.done
    expect(ledgerText(cwd)).toContain(`"account":"${ACCOUNT}","driver":"aws-fis","type":"identity"`)

    aws.sts.setIdentity('999988887777')
    const wrong = await rift(['rollback'], cwd, aws.env)
    expect(wrong.code).toBe(6)
    expect(wrong.stdout).toMatch(/FAILED: the credentials are for AWS account 999988887777, but the run acted in account 111122223333/)
    expect(aws.fis.active()).toHaveLength(2)

    aws.sts.setIdentity(ACCOUNT)
    const right = await rift(['rollback'], cwd, aws.env)
    expect(right.code).toBe(0)
    expect(aws.fis.active()).toEqual([])
  })

  it('after kill -9 between StartExperiment and the saved id, rift rollback finds the experiment by its tags', async () => {
    aws.fis.holdResponses('StartExperiment')
    const cwd = await setup(experiment({duration: '60s'}))
    const run = start(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    await until(() => aws.fis.list().length === 1, 'FIS to start the first experiment')
    run.child.kill('SIGKILL')
    await run.done
    aws.fis.releaseResponses('StartExperiment')
    // The ledger holds only the planned state: no experiment id ever reached it.
    expect(ledgerText(cwd)).toMatch(/"type":"planned"/)
    expect(ledgerText(cwd)).not.toMatch(/"experimentId":"EXP/)
    expect(aws.fis.active()).toHaveLength(1)

    const rollback = await rift(['rollback'], cwd, aws.env)
    expect(rollback.code).toBe(0)
    expect(rollback.stdout).toMatch(/f1 partition .*: reverted/)
    expect(aws.fis.active()).toEqual([])
    expect(aws.fis.list().map((e) => e.status)).toEqual(['stopped'])
  })

  it('never writes the credentials to the run folder or the output, even when an error quotes them', async () => {
    const cwd = await setup()
    const ok = await rift(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    expect(ok.code).toBe(0)
    aws.sts.failNext('GetCallerIdentity', {code: 'InvalidClientTokenId', message: `The security token ${FAKE_CREDENTIALS.AWS_SESSION_TOKEN} is invalid (key ${FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY})`, status: 403})
    const failed = await rift(['run', 'aws.yaml', '--live', '--yes'], cwd, aws.env)
    expect(failed.code).toBe(5)
    const written = runFolderText(cwd) + ok.stdout + ok.stderr + failed.stdout + failed.stderr
    expect(written).toMatch(/The security token \[redacted\] is invalid/)
    for (const secret of Object.values(FAKE_CREDENTIALS)) expect(written).not.toContain(secret)
    expect(await readJson(path.join(cwd, '.rift', 'runs', readdirSync(path.join(cwd, '.rift', 'runs'))[1]!, 'journal.json'))).toMatchObject({verdict: 'error'})
  })
})
