export {startLoadGenerator, type LoadCounts, type LoadGenerator, type LoadOptions, type LoadRun} from './generator.js'
export {SampleStore} from './sample-store.js'
export {measureLoadWindows} from './windows.js'
