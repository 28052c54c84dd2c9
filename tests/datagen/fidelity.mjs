// fidelity.mjs: loads the TPC-DS .dat files of a directory (floe datagen's
// output) into DuckDB with the schema of /work/shared/tpcds/schema, runs the
// 99 TPC-DS queries and reports which return no rows (and the row counts
// next to the reference answers' when those exist). A result whose rows
// are all NULL (an aggregate over no rows) counts as empty.
// Usage: node fidelity.mjs DATA_DIR [TPCDS_DIR]   (run by fidelity.sh)
import { createRequire } from 'node:module'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '..', 'interop', 'package.json'))
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href)

const dataDir = process.argv[2]
const tpcds = process.argv[3] || '/work/shared/tpcds'
if (!dataDir) { console.error('usage: node fidelity.mjs DATA_DIR [TPCDS_DIR]'); process.exit(2) }

const duck = await (await DuckDBInstance.create(':memory:')).connect()
const schemaDir = join(tpcds, 'schema')
for (const f of readdirSync(schemaDir).filter((x) => x.endsWith('.sql')).sort()) {
  const ddl = readFileSync(join(schemaDir, f), 'utf8')
  const table = /create table (\w+)/i.exec(ddl)[1]
  await duck.run(ddl)
  const body = ddl.slice(ddl.indexOf('(') + 1, ddl.lastIndexOf(')'))
  const cols = []
  for (const part of body.split(/,(?![^()]*\))/)) {
    const m = /^\s*(\w+)\s+(\w+(\s*\([\d,\s]+\))?)/.exec(part)
    if (!m || m[1].toLowerCase() === 'primary') continue
    cols.push([m[1], m[2]])
  }
  const file = join(dataDir, `${table}.dat`)
  if (!existsSync(file)) { console.log(`missing ${file}`); continue }
  const spec = cols.map(([n, t]) => `'${n}': '${t}'`).concat(["'_end': 'VARCHAR'"]).join(', ')
  await duck.run(`INSERT INTO ${table} SELECT * EXCLUDE (_end) FROM read_csv('${file}', delim='|', header=false, quote='', escape='', nullstr='', auto_detect=false, null_padding=true, columns={${spec}})`)
  const r = await duck.runAndReadAll(`SELECT count(*) FROM ${table}`)
  console.log(`loaded ${table}: ${r.getRows()[0][0]} rows`)
}

const qdir = join(tpcds, 'queries')
const empty = [], failed = []
let nonEmpty = 0
// QUERIES="24 54" runs only those queries (for quick checks)
const only = (process.env.QUERIES || '').split(/\s+/).filter(Boolean).map((x) => x.padStart(2, '0'))
for (const f of readdirSync(qdir).filter((x) => x.endsWith('.sql')).sort()) {
  const q = f.replace('.sql', '')
  if (only.length && !only.includes(q)) continue
  const sql = readFileSync(join(qdir, f), 'utf8')
  const ansFile = join(tpcds, 'answers', 'sf1', `${q}.csv`)
  const ref = existsSync(ansFile) ? readFileSync(ansFile, 'utf8').trim().split('\n').length - 1 : '?'
  const t0 = Date.now()
  try {
    // a query file may hold several statements (e.g. 14, 23, 24, 39): count rows of all
    let rows = 0
    for (const stmt of sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s && !/^--[^\n]*$/.test(s))) {
      const r = await duck.runAndReadAll(stmt)
      // a row of NULLs only (an aggregate over nothing) does not count
      rows += r.getRows().filter((row) => row.some((v) => v !== null)).length
    }
    const ms = Date.now() - t0
    console.log(`q${q}: ${rows} rows (reference ${ref}) ${ms} ms`)
    if (rows === 0) empty.push(q)
    else nonEmpty++
  } catch (e) {
    console.log(`q${q}: ERROR ${e.message.split('\n')[0]}`)
    failed.push(q)
  }
}
console.log(`\n${nonEmpty} of ${nonEmpty + empty.length + failed.length} queries return rows; empty: ${empty.join(' ') || 'none'}; failed: ${failed.join(' ') || 'none'}`)
process.exit(empty.length || failed.length ? 1 : 0)
