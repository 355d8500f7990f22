// Builds the plugin with rift's own esbuild, without an install of its own: `rift/sdk` resolves to the rift
// checkout this folder sits in (../../src/sdk.ts) and is bundled, with zod, into one self-contained module.
// A plugin published to npm would depend on `rift` instead; the bundle then needs nothing from the host.
import {build} from 'esbuild'
import {fileURLToPath} from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

await build({
  alias: {'rift/sdk': here('../../src/sdk.ts')},
  bundle: true,
  entryPoints: [here('src/drivers.ts'), here('src/lab-cli.ts')],
  format: 'esm',
  logLevel: 'warning',
  outdir: here('dist'),
  platform: 'node',
  sourcemap: true,
  target: 'node20',
})
console.error('plugins/netem: built dist/drivers.js and dist/lab-cli.js')
