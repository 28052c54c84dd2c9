// duckdb_queries.mjs: DuckDB's side of the TPC-DS differential and fidelity
// tests: loads pipe-delimited TPC-DS files into DuckDB tables with the
// exact column types of the DDL, runs queries and writes each result as
// pipe-delimited text with a header (NULL as NULL), the format of
// shared/tpcds/answers.
//
// usage: node duckdb_queries.mjs DATA_DIR SCHEMA_DIR OUT_DIR QUERY.sql...
// DATA_DIR holds <table>.dat files (a table without a file is created
// empty). Prints "q<name> rows=<n>" or "q<name> error=<message>" per query.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const here = new URL('.', import.meta.url).pathname
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api', { paths: [join(here, '../interop')] }))

const [dataDir, schemaDir, outDir, ...queries] = process.argv.slice(2)
const con = await (await DuckDBInstance.create(':memory:')).connect()
const q = (s) => `'${s.replaceAll("'", "''")}'`

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

for (const f of readdirSync(schemaDir).filter((f) => f.endsWith('.sql'))) {
  const table = basename(f, '.sql')
  const sql = readFileSync(join(schemaDir, f), 'utf8')
  const cols = columns(sql)
  await con.run(`CREATE TABLE ${table} (${cols.map(([n, t]) => `${n} ${t}`).join(', ')})`)
  const dat = join(dataDir, `${table}.dat`)
  if (existsSync(dat)) {
    const spec = '{' + cols.map(([n, t]) => `${q(n)}: ${q(t)}`).join(', ') + '}'
    await con.run(`INSERT INTO ${table} SELECT * FROM read_csv(${q(dat)}, delim='|', header=false, quote='', escape='', nullstr='', columns=${spec}, auto_detect=false, null_padding=true)`)
  }
}

const text = (v) => {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'object' && 'toString' in v) return v.toString()
  return String(v)
}
for (const file of queries) {
  const name = basename(file, '.sql')
  try {
    const r = await con.runAndReadAll(readFileSync(file, 'utf8'))
    const names = r.columnNames()
    const rows = r.getRowsJS ? r.getRows() : r.getRows()
    const lines = [names.join('|')]
    for (const row of rows) lines.push(row.map(text).join('|'))
    writeFileSync(join(outDir, `${name}.csv`), lines.join('\n') + '\n')
    console.log(`q${name} rows=${rows.length}`)
  } catch (e) {
    console.log(`q${name} error=${String(e.message).split('\n')[0]}`)
  }
}
