#!/usr/bin/env node
// The PostgreSQL experiments' controller (src/postgres/cli.ts, built into dist/ by `npm run build`):
//   node experiments/postgres/pg-cluster.mjs up|down|failover|check …   (see docs/postgres.md)
import {existsSync} from 'node:fs'

const entry = new URL('../../dist/postgres/cli.js', import.meta.url)
if (!existsSync(entry)) {
  console.error('pg-cluster: dist/postgres/cli.js is missing; run `npm run build` in the rift checkout first')
  process.exit(1)
}
const {main} = await import(entry.href)
process.exit(await main(process.argv.slice(2)))
