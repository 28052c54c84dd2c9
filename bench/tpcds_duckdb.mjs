// tpcds_duckdb.mjs: the DuckDB side of bench/tpcds.sh.
//
// usage: node tpcds_duckdb.mjs PARQUET_DIR RUNS QUERY_FILE...
// Creates one DuckDB table per PARQUET_DIR/<table>.parquet (loaded into
// DuckDB's own storage in memory, as floe loads into its tables), then runs
// each query RUNS times and prints "q<name> seconds=<best> rows=<n>" per
// query (the time of the query alone, DuckDB on every core).
import { readdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

const [dir, runsArg, ...queries] = process.argv.slice(2)
const runs = Number(runsArg || 3)
const con = await (await DuckDBInstance.create(':memory:')).connect()
const q = (s) => `'${s.replaceAll("'", "''")}'`
for (const f of readdirSync(dir).filter((f) => f.endsWith('.parquet'))) {
  await con.run(`CREATE TABLE ${basename(f, '.parquet')} AS SELECT * FROM read_parquet(${q(dir + '/' + f)})`)
}
for (const file of queries) {
  const sql = readFileSync(file, 'utf8')
  let best = Infinity, rows = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = await con.runAndReadAll(sql)
    const s = (performance.now() - t0) / 1000
    rows = r.getRows().length
    if (s < best) best = s
  }
  console.log(`q${basename(file, '.sql')} seconds=${best.toFixed(4)} rows=${rows}`)
}
