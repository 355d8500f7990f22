/**
 * `rift/sdk`: the driver SDK alone — types, `defineDriver`, the SDK version and the fault schemas — without the
 * engine, the proxy or the sandbox. A plugin that bundles its dependencies (plugins/netem does) imports from
 * here so its bundle stays small; `rift` (src/index.ts) re-exports all of it too.
 */
export * from './drivers/define.js'
export {DRIVER_SDK_VERSION, sdkCompatible} from './drivers/sdk-version.js'
export {faultSchemas, FAULT_KINDS, type ActionStep, type FaultKind, type FaultStep, type Link} from './experiment/schema.js'
