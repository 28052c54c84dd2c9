// duckdb.mjs: the DuckDB side of bench/run.sh.
//
// usage: node duckdb.mjs write TEXT_FILE SCHEMA_SQL OUT.parquet
//        node duckdb.mjs scan FILE.parquet
// Prints one line "seconds=S rows=N" (the time of the statement alone, with
// DuckDB using every core). `write` reads the pipe-delimited text with the
// exact column types of the CREATE TABLE and writes Parquet with zstd;
// `scan` runs a query that must decode every column: min, max and count of
// each column.
import { readFileSync } from 'node:fs'
import { DuckDBInstance } from '@duckdb/node-api'

const [mode, ...args] = process.argv.slice(2)
const con = await (await DuckDBInstance.create(':memory:')).connect()
const q = (s) => `'${s.replaceAll("'", "''")}'`

// column name -> type from a CREATE TABLE, skipping table constraints
function columns(sql) {
  const body = sql.slice(sql.indexOf('(') + 1, sql.lastIndexOf(')'))
  const items = []
  let depth = 0, cur = ''
  for (const ch of body) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) { items.push(cur); cur = '' } else cur += ch
  }
  items.push(cur)
  return items.map((s) => s.trim()).filter((s) => s && !/^(primary|unique|foreign|constraint|check)\b/i.test(s))
    .map((s) => {
      const m = /^(\S+)\s+(.*?)(\s+not\s+null|\s+null|\s+primary\s+key)*\s*$/is.exec(s)
      return [m[1], m[2].trim()]
    })
}

const t0 = performance.now()
if (mode === 'write') {
  const [text, schema, out] = args
  const cols = columns(readFileSync(schema, 'utf8'))
  const spec = '{' + cols.map(([n, t]) => `${q(n)}: ${q(t)}`).join(', ') + '}'
  await con.run(`COPY (SELECT * FROM read_csv(${q(text)}, delim='|', header=false, quote='', escape='', nullstr='', columns=${spec}, auto_detect=false, null_padding=true)) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd)`)
  const s = (performance.now() - t0) / 1000
  const r = await con.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${q(out)})`)
  console.log(`seconds=${s.toFixed(4)} rows=${r.getRowObjects()[0].n}`)
} else if (mode === 'scan') {
  const [file] = args
  const d = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${q(file)})`)
  const names = d.getRowObjects().map((o) => o.column_name)
  const exprs = names.flatMap((n) => [`min("${n}")`, `max("${n}")`, `count("${n}")`])
  const t1 = performance.now()
  const r = await con.runAndReadAll(`SELECT count(*) AS n, ${exprs.join(', ')} FROM read_parquet(${q(file)})`)
  const s = (performance.now() - t1) / 1000
  console.log(`seconds=${s.toFixed(4)} rows=${r.getRowObjects()[0].n}`)
} else {
  console.error('usage: node duckdb.mjs write TEXT SCHEMA OUT | scan FILE')
  process.exit(2)
}
