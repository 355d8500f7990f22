/** The fault proxy's data path: listeners, connections, links and toxic stages. */
export {createProxyCore} from './proxy-core.js'
