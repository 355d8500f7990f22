/** The module rift loads (package.json `rift.drivers`): the plugin's drivers, as a list. */
import netem from './driver.js'

export default [netem]
export {createLab, destroyLab, labNodes, namespaceOf, type LabNode} from './lab.js'
