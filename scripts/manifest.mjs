// Writes oclif.manifest.json so `rift` starts without importing every command (the 400 ms budget of
// `npm run bench:cli`). The `oclif` dev CLI would do the same but pulls in far more than it is worth.
import {Plugin} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, isRoot: true, root, type: 'core'})
await plugin.load()
const {manifest} = plugin
await writeFile(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(manifest, null, 2) + '\n')
console.error(`oclif.manifest.json: ${Object.keys(manifest.commands).length} commands`)
