/**
 * `rift/testing`: the conformance kit for driver authors. One call runs the driver contract against the real
 * backend and reports each rule as a named check; see docs/creating-drivers.md#the-conformance-kit.
 *
 *     const report = await runConformance(driver, {config, topology, faults, declined, module: import.meta.resolve(...)})
 *     expect(report.failures).toEqual([])      // or assertConformance(report)
 */
export {runConformance, type ConformanceFault, type ConformanceOptions} from './conformance.js'
export {assertConformance, CHECKS, formatReport, type CheckName, type CheckStatus, type ConformanceCheck, type ConformanceReport} from './report.js'
