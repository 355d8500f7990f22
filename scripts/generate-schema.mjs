// Writes schemas/experiment.schema.json from the zod schema (as compiled in dist/), so editors can check
// experiment files while they are typed. The zod schema is the source of truth; this file is derived.
//
//   node scripts/generate-schema.mjs           write the file (npm run schema, after npm run build)
//   node scripts/generate-schema.mjs --check   exit 1 if the committed file differs from the schema (CI)
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {z} from 'zod'

const compiled = new URL('../dist/experiment/schema.js', import.meta.url)
const target = new URL('../schemas/experiment.schema.json', import.meta.url)
const targetName = 'schemas/experiment.schema.json'
// Where editors fetch it from; the same URL `rift init` writes in its yaml-language-server comment.
const SCHEMA_ID = 'https://raw.githubusercontent.com/rift-chaos/rift/main/schemas/experiment.schema.json'

if (!existsSync(fileURLToPath(compiled))) {
  console.error('dist/experiment/schema.js is missing: run `npm run build` first')
  process.exit(1)
}
const {EXPERIMENT_VERSION, experimentSchema} = await import(compiled.href)

// io: 'input' describes what people write (defaults make fields optional); custom checks such as the
// duration parser cannot be expressed, so they become `any` plus the pattern given in their metadata.
const generated = z.toJSONSchema(experimentSchema, {io: 'input', unrepresentable: 'any'})
const {$schema, ...rest} = generated
const document = {
  $schema,
  $id: SCHEMA_ID,
  title: `rift experiment (${EXPERIMENT_VERSION})`,
  description: 'A rift chaos experiment: topology, drivers, steady state, method, SLOs and guardrails. See docs/experiment-format.md.',
  ...rest,
}
const text = `${JSON.stringify(document, null, 2)}\n`

if (process.argv.includes('--check')) {
  const committed = existsSync(fileURLToPath(target)) ? await readFile(target, 'utf8') : undefined
  if (committed !== text) {
    console.error(`${targetName} is ${committed === undefined ? 'missing' : 'out of date'} with src/experiment/schema.ts`)
    console.error('Regenerate it with: npm run build && npm run schema')
    process.exit(1)
  }
  console.error(`${targetName} is up to date`)
} else {
  await mkdir(new URL('.', target), {recursive: true})
  await writeFile(target, text)
  console.error(`${targetName}: written (${text.length} bytes)`)
}
