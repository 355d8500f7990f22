// Bundles each compiled command (dist/commands/*.js) with its dependencies into one file, in place.
// Why: on this class of machine Node spends ~100 ms resolving and reading the ~150 small modules a command
// pulls in (zod, yaml, rift's own); one file per command keeps `rift validate` inside its 400 ms budget.
// @oclif/core stays external: the runtime that loads the command must be the one it extends. The AWS SDK
// stays external too: it is large, loaded only when a live driver connects, and Node's own loader gives
// its CommonJS modules their named exports.
import {build} from 'esbuild'
import {readdir} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const commands = fileURLToPath(new URL('../dist/commands/', import.meta.url))
const entryPoints = (await readdir(commands, {recursive: true}))
  .filter((file) => file.endsWith('.js'))
  .map((file) => `${commands}${file}`)

/**
 * zod re-exports every locale through `z.locales`; rift only ever speaks English, and the other 40-odd
 * locales cost start-up time in every command. Resolve zod's locale index to English alone.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(plugin) {
    plugin.onResolve({filter: /\/locales\/index\.js$/}, (args) => {
      if (!args.importer.includes(`${'node_modules'}/zod/`)) return undefined
      return {namespace: 'zod-locales', path: 'en'}
    })
    plugin.onLoad({filter: /.*/, namespace: 'zod-locales'}, () => ({
      contents: "export {default as en} from 'zod/v4/locales/en.js'",
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    }))
  },
}

await build({
  allowOverwrite: true,
  // CommonJS dependencies (yaml) call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __riftRequire} from 'node:module'; const require = __riftRequire(import.meta.url);"},
  bundle: true,
  // Code shared by commands, and what is loaded only on demand (the embedded proxy server), goes to
  // dist/chunks: outside dist/commands, where oclif would take every file for a command.
  chunkNames: '../chunks/[name]-[hash]',
  entryPoints,
  external: ['@oclif/core', '@aws-sdk/*'],
  format: 'esm',
  logLevel: 'warning',
  outdir: commands,
  platform: 'node',
  plugins: [englishOnlyZod],
  splitting: true,
  target: 'node20',
})
console.error(`bundled ${entryPoints.length} commands`)
