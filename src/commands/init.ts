import {Args, Flags} from '@oclif/core'
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'

import {RiftCommand} from '../base-command.js'
import {RiftError} from '../errors.js'
import {EXPERIMENT_TEMPLATE} from '../experiment/template.js'

export interface InitResult {
  file: string
}

export default class Init extends RiftCommand<InitResult> {
  static override args = {file: Args.string({default: 'experiment.yaml', description: 'where to write the experiment'})}
  static override description = 'Write a commented example experiment to start from; it validates and runs as it is, on the memory driver.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> experiments/us-east-outage.yaml',
  ]
  static override flags = {force: Flags.boolean({description: 'overwrite the file if it exists'})}

  public async run(): Promise<InitResult> {
    const {args, flags} = await this.parse(Init)
    if (existsSync(args.file) && !flags.force) {
      throw new RiftError('RIFT_FILE_EXISTS', `${args.file} already exists; nothing was written`, {
        suggestions: [`Choose another name: rift init my-experiment.yaml`, `Or overwrite it: rift init ${args.file} --force`],
      })
    }
    await writeFile(args.file, EXPERIMENT_TEMPLATE, {flag: flags.force ? 'w' : 'wx'})
    this.say(`Wrote ${args.file}. Next: rift validate ${args.file} && rift plan ${args.file} && rift run ${args.file}`)
    return {file: args.file}
  }
}
