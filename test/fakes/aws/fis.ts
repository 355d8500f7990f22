/**
 * A stateful fake of AWS Fault Injection Service (restJson1, 2020-12-01), for the real @aws-sdk/client-fis.
 *
 * State per region (from the request's credential scope): experiment templates, experiments and an inventory
 * of tagged resources that targets resolve against. Experiments move through the documented states on the
 * clock: initiating → running (targets resolved; empty targets fail the experiment) → completed when the
 * longest action's duration has passed (scaled by `timeScale`); DELETE → stopping → stopped; a stop
 * condition alarm set to ALARM stops the experiments that name it; `actionsMode: skip-all` resolves targets
 * and completes with every action skipped. Timestamps are epoch seconds; errors carry `x-amzn-errortype`.
 */
import {awsId, FakeService, ServiceError, type RecordedRequest, type Reply, type Route} from './fake-service.js'

type Json = any

export type ExperimentStatus = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'failed' | 'cancelled'
const TERMINAL: ExperimentStatus[] = ['completed', 'stopped', 'failed', 'cancelled']

export interface FakeResource {
  arn: string
  region: string
  tags: Record<string, string>
  type: string
}

export interface FakeTemplate {
  body: Json
  clientToken: string
  createdAt: number
  id: string
  region: string
  tags: Record<string, string>
}

export interface FakeExperiment {
  actionsMode: string
  clientToken: string
  createdAt: number
  endedAt?: number
  id: string
  region: string
  /** Resolved resource ARNs by target name. */
  resolved: Record<string, string[]>
  /** The request body of StartExperiment, as sent. */
  startBody: Json
  startedAt?: number
  status: ExperimentStatus
  statusReason: string
  stopAt?: number
  tags: Record<string, string>
  template: FakeTemplate
}

interface ActionSpec {
  optional: string[]
  required: string[]
  targets: Record<string, string>
}

/** The actions this fake knows, with their target keys and parameters (FIS actions reference). */
export const FIS_ACTIONS: Record<string, ActionSpec> = {
  'aws:dynamodb:global-table-pause-replication': {optional: [], required: ['duration'], targets: {Tables: 'aws:dynamodb:global-table'}},
  'aws:ec2:stop-instances': {optional: ['startInstancesAfterDuration'], required: [], targets: {Instances: 'aws:ec2:instance'}},
  'aws:fis:wait': {optional: [], required: ['duration'], targets: {}},
  'aws:network:disrupt-connectivity': {optional: ['scope', 'prefixListIdentifier'], required: ['duration'], targets: {Subnets: 'aws:ec2:subnet'}},
  'aws:network:route-table-disrupt-cross-region-connectivity': {optional: [], required: ['region', 'duration'], targets: {Subnets: 'aws:ec2:subnet'}},
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': {optional: [], required: ['region', 'duration'], targets: {TransitGateways: 'aws:ec2:transit-gateway'}},
  'aws:s3:bucket-pause-replication': {optional: ['destinationBuckets', 'prefixes'], required: ['duration', 'region'], targets: {Buckets: 'aws:s3:bucket'}},
  'aws:ssm:send-command': {optional: ['documentVersion', 'documentParameters'], required: ['documentArn', 'duration'], targets: {Instances: 'aws:ec2:instance'}},
}

const ISO_DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/

export function isoDurationMs(text: string): number | undefined {
  const match = ISO_DURATION.exec(text)
  if (!match || text === 'PT') return undefined
  const [, h = '0', m = '0', s = '0'] = match
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000
}

export interface FakeFisOptions {
  account?: string
  quotas?: {activeExperiments?: number; templates?: number}
  /** Multiplies action durations: 0.001 makes PT1M last 60 ms. */
  timeScale?: number
  timing?: {initiatingMs?: number; stoppingMs?: number}
}

export class FakeFis extends FakeService {
  readonly account: string
  readonly alarms = new Map<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>()
  readonly experiments = new Map<string, FakeExperiment>()
  readonly inventory: FakeResource[] = []
  readonly templates = new Map<string, FakeTemplate>()
  readonly #options: Required<Pick<FakeFisOptions, 'timeScale'>> & FakeFisOptions

  constructor(options: FakeFisOptions = {}) {
    super()
    this.account = options.account ?? '111122223333'
    this.#options = {timeScale: 1, ...options}
  }

  // ------------------------------------------------------------ inspector and controls

  /** Forgets every template, experiment, resource and alarm, and the controls. */
  reset(): void {
    this.experiments.clear()
    this.templates.clear()
    this.inventory.length = 0
    this.alarms.clear()
    this.resetControls()
  }

  addResource(resource: FakeResource): this {
    this.inventory.push(resource)
    return this
  }

  /** Experiments (advanced to now), optionally in one region. */
  list(region?: string): FakeExperiment[] {
    const now = Date.now()
    return [...this.experiments.values()].filter((experiment) => region === undefined || experiment.region === region).map((experiment) => this.#advance(experiment, now))
  }

  active(region?: string): FakeExperiment[] {
    return this.list(region).filter((experiment) => !TERMINAL.includes(experiment.status))
  }

  /** Sets a CloudWatch alarm's state; ALARM stops every running experiment that has it as a stop condition. */
  setAlarm(arn: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void {
    this.alarms.set(arn, state)
    if (state !== 'ALARM') return
    for (const experiment of this.list()) {
      if (TERMINAL.includes(experiment.status) || experiment.status === 'stopping') continue
      const conditions = (experiment.template.body.stopConditions ?? []) as {source: string; value?: string}[]
      if (conditions.some((condition) => condition.source === 'aws:cloudwatch:alarm' && condition.value === arn)) {
        this.#stop(experiment, Date.now(), `Experiment stopped by stop condition ${arn}.`)
      }
    }
  }

  /** Makes an experiment fail now, as an action error would. */
  failExperiment(id: string, reason = 'Action failed.'): void {
    const experiment = this.experiments.get(id)
    if (!experiment) throw new Error(`no experiment ${id}`)
    experiment.status = 'failed'
    experiment.statusReason = reason
    experiment.endedAt = Date.now()
  }

  // ------------------------------------------------------------ protocol

  protected errorReply(status: number, code: string, message: string): Reply {
    return {body: JSON.stringify({message}), contentType: 'application/json', headers: {'x-amzn-errortype': code}, status}
  }

  protected route(method: string, path: string): Route | undefined {
    const segments = path.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment))
    const [root, id, sub] = segments
    const json = (operation: string, handle: (request: RecordedRequest) => Json): Route => ({
      handle: (request) => ({body: JSON.stringify(handle(request)), contentType: 'application/json', status: 200}),
      operation,
    })
    if (root === 'experimentTemplates') {
      if (method === 'POST' && !id) return json('CreateExperimentTemplate', (request) => this.#createTemplate(request))
      if (method === 'GET' && !id) return json('ListExperimentTemplates', (request) => this.#listTemplates(request))
      if (method === 'GET' && id && !sub) return json('GetExperimentTemplate', (request) => ({experimentTemplate: this.#templateOut(this.#template(request, id))}))
      if (method === 'DELETE' && id) return json('DeleteExperimentTemplate', (request) => this.#deleteTemplate(request, id))
    }
    if (root === 'experiments') {
      if (method === 'POST' && !id) return json('StartExperiment', (request) => this.#startExperiment(request))
      if (method === 'GET' && !id) return json('ListExperiments', (request) => this.#listExperiments(request))
      if (method === 'GET' && id && sub === 'resolvedTargets') return json('ListExperimentResolvedTargets', (request) => this.#resolvedTargets(request, id))
      if (method === 'GET' && id && !sub) return json('GetExperiment', (request) => ({experiment: this.#experimentOut(this.#experiment(request, id))}))
      if (method === 'DELETE' && id) return json('StopExperiment', (request) => this.#stopExperiment(request, id))
    }
    if (root === 'actions' && method === 'GET' && id) {
      return json('GetAction', () => {
        const spec = FIS_ACTIONS[id]
        if (!spec) throw new ServiceError(404, 'ResourceNotFoundException', `Action ${id} not found.`)
        const parameters = Object.fromEntries([...spec.required.map((name) => [name, {required: true}]), ...spec.optional.map((name) => [name, {required: false}])])
        return {action: {id, parameters, targets: Object.fromEntries(Object.entries(spec.targets).map(([key, resourceType]) => [key, {resourceType}]))}}
      })
    }
    return undefined
  }

  // ------------------------------------------------------------ templates

  #createTemplate(request: RecordedRequest): Json {
    const body = JSON.parse(request.body || '{}')
    const existing = [...this.templates.values()].find((template) => template.region === request.region && template.clientToken === body.clientToken)
    if (existing) return {experimentTemplate: this.#templateOut(existing)}
    validateTemplate(body)
    const quota = this.#options.quotas?.templates ?? 500
    if ([...this.templates.values()].filter((template) => template.region === request.region).length >= quota) {
      throw new ServiceError(402, 'ServiceQuotaExceededException', `You have reached the maximum of ${quota} experiment templates.`)
    }
    const template: FakeTemplate = {body, clientToken: body.clientToken, createdAt: Date.now(), id: awsId('EXT', 14), region: request.region, tags: body.tags ?? {}}
    this.templates.set(template.id, template)
    return {experimentTemplate: this.#templateOut(template)}
  }

  #template(request: RecordedRequest, id: string): FakeTemplate {
    const template = this.templates.get(id)
    if (!template || template.region !== request.region) throw new ServiceError(404, 'ResourceNotFoundException', `Experiment template ${id} not found.`)
    return template
  }

  #deleteTemplate(request: RecordedRequest, id: string): Json {
    const template = this.#template(request, id)
    this.templates.delete(id)
    return {experimentTemplate: this.#templateOut(template)}
  }

  #listTemplates(request: RecordedRequest): Json {
    const all = [...this.templates.values()].filter((template) => template.region === request.region)
    const {items, nextToken} = page(all, request.query)
    return {
      experimentTemplates: items.map((template) => ({
        creationTime: seconds(template.createdAt),
        description: template.body.description,
        id: template.id,
        lastUpdateTime: seconds(template.createdAt),
        tags: template.tags,
      })),
      ...(nextToken ? {nextToken} : {}),
    }
  }

  #templateOut(template: FakeTemplate): Json {
    const {clientToken: _, ...body} = template.body
    return {
      ...body,
      arn: `arn:aws:fis:${template.region}:${this.account}:experiment-template/${template.id}`,
      creationTime: seconds(template.createdAt),
      id: template.id,
      lastUpdateTime: seconds(template.createdAt),
      targetAccountConfigurationsCount: 0,
    }
  }

  // ------------------------------------------------------------ experiments

  #startExperiment(request: RecordedRequest): Json {
    const body = JSON.parse(request.body || '{}')
    if (!body.clientToken || !body.experimentTemplateId) throw new ServiceError(400, 'ValidationException', 'clientToken and experimentTemplateId are required.')
    const existing = [...this.experiments.values()].find((experiment) => experiment.region === request.region && experiment.clientToken === body.clientToken)
    if (existing) return {experiment: this.#experimentOut(this.#advance(existing, Date.now()))}
    const template = this.#template(request, body.experimentTemplateId)
    const quota = this.#options.quotas?.activeExperiments ?? 5
    if (this.active(request.region).length >= quota) {
      throw new ServiceError(402, 'ServiceQuotaExceededException', `You have reached the maximum of ${quota} active experiments.`)
    }
    const actionsMode = body.experimentOptions?.actionsMode ?? 'run-all'
    if (!['run-all', 'skip-all'].includes(actionsMode)) throw new ServiceError(400, 'ValidationException', `Invalid actionsMode ${actionsMode}.`)
    const experiment: FakeExperiment = {
      actionsMode,
      clientToken: body.clientToken,
      createdAt: Date.now(),
      id: awsId('EXP', 16),
      region: request.region,
      resolved: {},
      startBody: body,
      status: 'initiating',
      statusReason: 'Experiment is initiating.',
      tags: {...template.tags, ...body.tags},
      template: structuredClone(template),
    }
    this.experiments.set(experiment.id, experiment)
    return {experiment: this.#experimentOut(experiment)}
  }

  #experiment(request: RecordedRequest, id: string): FakeExperiment {
    const experiment = this.experiments.get(id)
    if (!experiment || experiment.region !== request.region) throw new ServiceError(404, 'ResourceNotFoundException', `Experiment ${id} not found.`)
    return this.#advance(experiment, Date.now())
  }

  #stopExperiment(request: RecordedRequest, id: string): Json {
    const experiment = this.#experiment(request, id)
    if (TERMINAL.includes(experiment.status)) throw new ServiceError(400, 'ValidationException', `Experiment ${id} is ${experiment.status} and cannot be stopped.`)
    if (experiment.status !== 'stopping') this.#stop(experiment, Date.now(), 'Stopping Experiment.')
    return {experiment: this.#experimentOut(experiment)}
  }

  #listExperiments(request: RecordedRequest): Json {
    const templateId = request.query.get('experimentTemplateId')
    const all = this.list(request.region).filter((experiment) => !templateId || experiment.template.id === templateId)
    const {items, nextToken} = page(all, request.query)
    return {
      experiments: items.map((experiment) => ({
        arn: this.#arn(experiment),
        creationTime: seconds(experiment.createdAt),
        experimentTemplateId: experiment.template.id,
        id: experiment.id,
        state: {reason: experiment.statusReason, status: experiment.status},
        tags: experiment.tags,
      })),
      ...(nextToken ? {nextToken} : {}),
    }
  }

  #resolvedTargets(request: RecordedRequest, id: string): Json {
    const experiment = this.#experiment(request, id)
    const targets = Object.entries<{resourceType: string}>(experiment.template.body.targets ?? {})
    const resolvedTargets = targets.flatMap(([name, target]) =>
      (experiment.resolved[name] ?? []).map((arn) => ({resourceType: target.resourceType, targetInformation: {arn}, targetName: name})),
    )
    return {resolvedTargets}
  }

  #stop(experiment: FakeExperiment, now: number, reason: string): void {
    experiment.status = 'stopping'
    experiment.statusReason = reason
    experiment.stopAt = now
  }

  /** Moves an experiment along the clock; reading it is what makes time pass for it. */
  #advance(experiment: FakeExperiment, now: number): FakeExperiment {
    const {initiatingMs = 20, stoppingMs = 20} = this.#options.timing ?? {}
    if (experiment.status === 'initiating' && now - experiment.createdAt >= initiatingMs) {
      this.#resolve(experiment)
      if (experiment.status === 'initiating') {
        if (experiment.actionsMode === 'skip-all') {
          experiment.status = 'completed'
          experiment.statusReason = 'Experiment completed.'
          experiment.startedAt = now
          experiment.endedAt = now
        } else {
          experiment.status = 'running'
          experiment.statusReason = 'Experiment is running.'
          experiment.startedAt = now
        }
      }
    }
    if (experiment.status === 'running' && experiment.startedAt !== undefined && now - experiment.startedAt >= this.#longestActionMs(experiment)) {
      experiment.status = 'completed'
      experiment.statusReason = 'Experiment completed.'
      experiment.endedAt = experiment.startedAt + this.#longestActionMs(experiment)
    }
    if (experiment.status === 'stopping' && experiment.stopAt !== undefined && now - experiment.stopAt >= stoppingMs) {
      experiment.status = 'stopped'
      experiment.endedAt = now
    }
    return experiment
  }

  #resolve(experiment: FakeExperiment): void {
    const body = experiment.template.body
    const mode = body.experimentOptions?.emptyTargetResolutionMode ?? 'fail'
    for (const [name, target] of Object.entries<{resourceArns?: string[]; resourceTags?: Record<string, string>; resourceType: string}>(body.targets ?? {})) {
      const candidates = this.inventory.filter((resource) => resource.region === experiment.region && resource.type === target.resourceType)
      const matched = target.resourceArns
        ? candidates.filter((resource) => target.resourceArns!.includes(resource.arn))
        : candidates.filter((resource) => Object.entries(target.resourceTags ?? {}).every(([key, value]) => resource.tags[key] === value))
      experiment.resolved[name] = matched.map((resource) => resource.arn)
      const missingArn = target.resourceArns && matched.length < target.resourceArns.length
      if (missingArn || (matched.length === 0 && mode === 'fail')) {
        experiment.status = 'failed'
        experiment.statusReason = `Target resolution failed: no ${target.resourceType} resources match target ${name}.`
        experiment.endedAt = Date.now()
        return
      }
    }
  }

  #longestActionMs(experiment: FakeExperiment): number {
    const durations = Object.values(experiment.template.body.actions ?? {}).map((action: any) => isoDurationMs(action.parameters?.duration ?? '') ?? 0)
    return Math.max(0, ...durations) * this.#options.timeScale
  }

  #arn(experiment: FakeExperiment): string {
    return `arn:aws:fis:${experiment.region}:${this.account}:experiment/${experiment.id}`
  }

  #experimentOut(experiment: FakeExperiment): Json {
    const body = experiment.template.body
    const actionStatus = (name: string): string => {
      if (experiment.actionsMode === 'skip-all') return 'skipped'
      const targets = Object.values<string>(body.actions[name].targets ?? {})
      if (targets.some((target) => (experiment.resolved[target] ?? []).length === 0) && experiment.status !== 'initiating') return 'skipped'
      // Actions follow the experiment; before it runs they wait.
      return experiment.status === 'initiating' ? 'pending' : experiment.status
    }
    return {
      actions: Object.fromEntries(Object.entries(body.actions ?? {}).map(([name, action]: [string, any]) => [name, {...action, state: {reason: '', status: actionStatus(name)}}])),
      arn: this.#arn(experiment),
      creationTime: seconds(experiment.createdAt),
      ...(experiment.endedAt === undefined ? {} : {endTime: seconds(experiment.endedAt)}),
      experimentOptions: {...body.experimentOptions, actionsMode: experiment.actionsMode},
      experimentTemplateId: experiment.template.id,
      id: experiment.id,
      roleArn: body.roleArn,
      ...(experiment.startedAt === undefined ? {} : {startTime: seconds(experiment.startedAt)}),
      state: {reason: experiment.statusReason, status: experiment.status},
      stopConditions: body.stopConditions,
      tags: experiment.tags,
      targets: body.targets ?? {},
    }
  }
}

function seconds(ms: number): number {
  return ms / 1000
}

function page<T>(items: T[], query: URLSearchParams): {items: T[]; nextToken?: string} {
  const size = Number(query.get('maxResults') ?? 50)
  const start = Number(query.get('nextToken') ?? 0)
  const slice = items.slice(start, start + size)
  return start + size < items.length ? {items: slice, nextToken: String(start + size)} : {items: slice}
}

function invalid(message: string): never {
  throw new ServiceError(400, 'ValidationException', message)
}

/** The model's and the actions reference's rules, as far as a driver can get them wrong. */
function validateTemplate(body: Json): void {
  for (const member of ['clientToken', 'description', 'stopConditions', 'actions', 'roleArn']) {
    if (body[member] === undefined) invalid(`Missing required member ${member}.`)
  }
  if (String(body.description).length > 512) invalid('description is longer than 512.')
  if (!/^arn:aws:iam::\d{12}:role\/.+/.test(body.roleArn)) invalid(`roleArn ${body.roleArn} is not a role ARN.`)
  const conditions = body.stopConditions as {source: string; value?: string}[]
  if (conditions.length === 0 || conditions.length > 5) invalid('stopConditions must have 1 to 5 entries.')
  for (const condition of conditions) {
    if (condition.source === 'none') continue
    if (condition.source !== 'aws:cloudwatch:alarm' || !/^arn:aws:cloudwatch:/.test(condition.value ?? '')) invalid(`Invalid stop condition ${JSON.stringify(condition)}.`)
  }
  if (Object.keys(body.tags ?? {}).length > 50) invalid('At most 50 tags.')
  const targets = (body.targets ?? {}) as Record<string, Json>
  for (const [name, target] of Object.entries(targets)) {
    if (name.length > 64) invalid(`Target name ${name} is longer than 64.`)
    if (!target.resourceType || !target.selectionMode) invalid(`Target ${name} needs resourceType and selectionMode.`)
    if (target.resourceArns && target.resourceTags) invalid(`Target ${name} cannot combine resourceArns and resourceTags.`)
    if (!target.resourceArns && !target.resourceTags) invalid(`Target ${name} needs resourceArns or resourceTags.`)
  }
  const actions = body.actions as Record<string, Json>
  if (Object.keys(actions).length === 0 || Object.keys(actions).length > 20) invalid('A template has 1 to 20 actions.')
  for (const [name, action] of Object.entries(actions)) {
    if (name.length > 64) invalid(`Action name ${name} is longer than 64.`)
    const spec = FIS_ACTIONS[action.actionId]
    if (!spec) invalid(`Action ${action.actionId} is not supported.`)
    const parameters = (action.parameters ?? {}) as Record<string, unknown>
    for (const [key, value] of Object.entries(parameters)) {
      if (![...spec.required, ...spec.optional].includes(key)) invalid(`Action ${name}: unknown parameter ${key}.`)
      if (typeof value !== 'string' || value.length === 0 || value.length > 1024) invalid(`Action ${name}: parameter ${key} must be a string of 1 to 1024 characters.`)
    }
    for (const key of spec.required) if (parameters[key] === undefined) invalid(`Action ${name}: missing parameter ${key}.`)
    if (parameters.duration !== undefined) {
      const ms = isoDurationMs(parameters.duration as string)
      if (ms === undefined || ms < 60_000 || ms > 12 * 3_600_000) invalid(`Action ${name}: duration ${parameters.duration as string} must be an ISO 8601 duration from PT1M to PT12H.`)
    }
    if (parameters.region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(parameters.region as string)) invalid(`Action ${name}: region ${parameters.region as string} is not a region.`)
    if (parameters.documentParameters !== undefined) {
      try {
        JSON.parse(parameters.documentParameters as string)
      } catch {
        invalid(`Action ${name}: documentParameters is not JSON.`)
      }
    }
    const actionTargets = (action.targets ?? {}) as Record<string, string>
    for (const [key, targetName] of Object.entries(actionTargets)) {
      if (!(key in spec.targets)) invalid(`Action ${name}: target key ${key} is not one of ${Object.keys(spec.targets).join(', ')}.`)
      const target = targets[targetName]
      if (!target) invalid(`Action ${name}: target ${targetName} is not defined.`)
      if (target.resourceType !== spec.targets[key]) invalid(`Action ${name}: target ${targetName} is ${target.resourceType}, expected ${spec.targets[key]}.`)
    }
    for (const after of (action.startAfter ?? []) as string[]) if (!(after in actions)) invalid(`Action ${name}: startAfter ${after} is not an action.`)
  }
}
