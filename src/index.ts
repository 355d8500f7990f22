/**
 * rift's public API for programmatic use and for driver plugins. Plugin authors need only the driver SDK;
 * everything else here is for embedding the engine.
 */
export * from './drivers/define.js'
export {DRIVER_SDK_VERSION, sdkCompatible} from './drivers/sdk-version.js'
export {DriverRegistry, type DriverLoadProblem, type DriverOrigin, type DriverSource, type RegisteredDriver} from './drivers/registry.js'
export {createDefaultRegistry, createRegistry, builtinDrivers} from './drivers/index.js'
export {addPluginDrivers, type PluginPackage} from './drivers/plugins.js'
export {RIFT_VERSION} from './version.js'
export {faultSchemas, experimentSchema, FAULT_KINDS, type FaultKind, type FaultStep, type ActionStep, type Link} from './experiment/schema.js'
export type {Experiment} from './experiment/experiment.js'
export {loadExperiment} from './experiment/load.js'
export {planExperiment, type ExperimentPlan} from './engine/plan.js'
export {runExperiment, type RunOptions} from './engine/run-experiment.js'
export {rollbackRun} from './engine/rollback.js'
export type {RunEvents} from './engine/events.js'
export type {Journal} from './engine/journal.js'
export {RiftError, ExitCode, type ErrorCode} from './errors.js'
export {startProxyServer, type ProxyServer, type ProxyServerOptions} from './proxy/server.js'
export {startSandbox, type Sandbox, type SandboxOptions} from './sandbox/index.js'
export {renderReport, REPORT_FORMATS, type ReportFormat} from './reports/render.js'
export {writeRunReports} from './reports/run-files.js'
