/**
 * uPlot's browser build and stylesheet, inlined into report.html so the report opens without network.
 * Read from node_modules at runtime, never imported: the command bundler (esbuild) would otherwise try to
 * bundle a browser script into the CLI. Resolved from this module's own location, so it works from src/
 * (tests), dist/ (the library) and dist/chunks (bundled commands) alike.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

export interface ChartAssets {
  css: string
  js: string
}

let cached: ChartAssets | undefined

export function loadChartAssets(): ChartAssets {
  if (cached) return cached
  const resolveFrom = createRequire(import.meta.url)
  const read = (file: string) => readFileSync(resolveFrom.resolve(`uplot/dist/${file}`), 'utf8')
  cached = {css: read('uPlot.min.css'), js: read('uPlot.iife.min.js')}
  return cached
}
