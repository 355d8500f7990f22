/**
 * Bring a lab up before a run (so services can start inside it) and down after:
 *
 *     node dist/lab-cli.js up   <lab> <region>...   # prints each namespace and its address
 *     node dist/lab-cli.js down <lab> <region>...
 *
 * Use the same regions, in the same order, as the experiment's topology; set `keep: true` in its driver config.
 */
import {createLab, destroyLab, labNodes} from './lab.js'
import {assertCanManageNetwork} from './privileges.js'

const [command, lab, ...regions] = process.argv.slice(2)
if ((command !== 'up' && command !== 'down') || !lab || regions.length === 0) {
  process.stderr.write('usage: lab-cli up|down <lab> <region>...\n')
  process.exit(2)
}
try {
  await assertCanManageNetwork()
  if (command === 'up') {
    await createLab(lab, regions)
    for (const node of labNodes(lab, regions)) process.stdout.write(`${node.name}\t${node.namespace}\t${node.address}\n`)
  } else {
    await destroyLab(lab, regions)
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
