// check.mjs: floe against DuckDB and hyparquet (run by run.sh).
//
// usage: node check.mjs FLOE INTEROP_GEN TMPDIR
//
// (a) floe writes: flat types from CSV via `floe parquet write` (one file per
//     codec; the CSV text itself is the truth), nested types via
//     floe-interop-gen; DuckDB, hyparquet and `floe parquet cat --format json`
//     must all give the same values.
// (b) DuckDB writes (every type it has that floe reads, nested ones, several
//     codecs, with and without dictionary, page v1 and v2, small row groups);
//     floe must read exactly what DuckDB reads.
// Prints one line per check and closes with "N passed, N failed".
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import * as L from './lib.mjs'

const [floe, gen, tmp] = process.argv.slice(2)
if (!floe || !gen || !tmp) { console.error('usage: node check.mjs FLOE INTEROP_GEN TMPDIR'); process.exit(2) }

const T = {
  bool: { k: 'bool' }, int: { k: 'int' }, float: { k: 'float' }, double: { k: 'double' },
  date: { k: 'date' }, time: { k: 'time' }, ts: { k: 'timestamp' }, string: { k: 'string' },
  binary: { k: 'binary' }, uuid: { k: 'uuid' }, dec: (scale) => ({ k: 'decimal', scale }),
  struct: (...fields) => ({ k: 'struct', fields }), list: (elem) => ({ k: 'list', elem }),
  map: (key, value) => ({ k: 'map', key, value }),
}

const duck = await (await DuckDBInstance.create(':memory:')).connect()
const sqlPath = (p) => `'${p.replaceAll("'", "''")}'`

function floeRows(file, names, types) {
  const out = execFileSync(floe, ['parquet', 'cat', '--format', 'json', file], { maxBuffer: 1 << 30 }).toString()
  return out.split('\n').filter((l) => l.length).map((line) => {
    const o = L.parseJsonExact(line)
    return names.map((n, c) => L.canonFloe(types[c], o.get(n)))
  })
}
async function duckRows(file, names, types) {
  const r = await duck.runAndReadAll(`SELECT * FROM read_parquet(${sqlPath(file)})`)
  return r.getRowObjects().map((o) => names.map((n, c) => L.canonDuck(types[c], o[n])))
}
async function hyRows(file, names, types) {
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors, parsers: L.hyParsers, utf8: false })
  return rows.map((o) => names.map((n, c) => L.canonHy(types[c], o[n])))
}
const hyForm = (rows, types) => rows.map((r) => r.map((v, c) => L.toHyForm(types[c], v)))

async function tryCheck(name, fn) {
  try { L.report(name, await fn()) } catch (e) { L.report(name, [`error: ${String(e.message || e).split('\n').slice(0, 6).join(' | ')}`]) }
}

// ---- (a) floe writes flat types from CSV --------------------------------

const FLAT = [
  ['b', 'boolean', T.bool, ['true', 'false', 'true', 'false']],
  ['i8', 'tinyint', T.int, ['-128', '127', '0', '-1']],
  ['i16', 'smallint', T.int, ['-32768', '32767', '12345', '-2']],
  ['i32', 'int', T.int, ['-2147483648', '2147483647', '42', '-7']],
  ['i64', 'bigint', T.int, ['-9223372036854775808', '9223372036854775807', '1234567890123', '-3']],
  ['f', 'real', T.float, ['1.5', '-0.1', '3.4028235e38', '1e-40', '0']],
  ['d', 'double', T.double, ['0.1', '-1e300', '2.2250738585072014e-308', '123456789.123456789', '-0.5']],
  ['dec9', 'decimal(9,2)', T.dec(2), ['1234567.89', '-0.01', '0.00', '-9999999.99']],
  ['dec18', 'decimal(18,4)', T.dec(4), ['99999999999999.9999', '-12345.6789', '0.0001']],
  ['dec38', 'decimal(38,10)', T.dec(10), ['9999999999999999999999999999.9999999999', '-1.0000000001', '0.0000000000', '12345678901234567890.1234567890']],
  ['dt', 'date', T.date, ['2024-02-29', '1970-01-01', '1900-01-01', '9999-12-31', '1969-12-31']],
  ['tm', 'time', T.time, ['00:00:00', '23:59:59.999999', '12:34:56.5']],
  ['ts', 'timestamp', T.ts, ['2024-01-31 13:45:00.123456', '1969-12-31 23:59:59.999999', '2000-01-01 00:00:00', '1900-03-01 12:00:00']],
  ['tstz', 'timestamptz', T.ts, ['2024-01-31 13:45:00.123456+00:00', '2024-06-01 10:00:00+02:00', '1999-12-31 23:59:59-05:30']],
  ['s', 'varchar', T.string, ['plain', '', 'ünïcödé 日本語 😀', 'comma, "quote"', 'line\nbreak', ' lead and trail ']],
  ['bin', 'varbinary', T.binary, ['abc', 'x', 'bytes 123']],
  ['u', 'uuid', T.uuid, ['00000000-0000-0000-0000-000000000000', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF']],
  ['fx', 'fixed(4)', T.binary, ['abcd', 'wxyz', '0123']],
]
const FLAT_ROWS = 240

function csvQuote(s) { return /[",\n\r]/.test(s) || s === '' ? `"${s.replaceAll('"', '""')}"` : s }
function flatTruth(t, text) {
  if (text === null) return null
  switch (t.k) {
    case 'bool': return text
    case 'int': return BigInt(text).toString()
    case 'float': return String(Math.fround(Number(text)))
    case 'double': return String(Number(text))
    case 'decimal': return L.decimalUnscaled(text, t.scale)
    case 'date': return String(L.parseDate(text))
    case 'time': return (L.parseTimeNanos(text) / 1000n).toString()
    case 'timestamp': return L.parseTimestampNanos(text).toString()
    case 'string': return text
    case 'binary': return Buffer.from(text, 'utf8').toString('hex')
    case 'uuid': return text.toLowerCase()
  }
}

function writeFlatCsv(path) {
  const lines = [FLAT.map((c) => c[0]).join(',')]
  const truth = []
  for (let r = 0; r < FLAT_ROWS; r++) {
    const fields = [], row = []
    FLAT.forEach(([, , t, values], c) => {
      // NULLs in every column, at different rows; otherwise cycle the values
      const isNull = (r + c) % 7 === 3
      const text = isNull ? null : values[(r * 3 + c) % values.length]
      fields.push(text === null ? '' : csvQuote(text))
      row.push(flatTruth(t, text))
    })
    lines.push(fields.join(','))
    truth.push(row)
  }
  writeFileSync(path, lines.join('\n') + '\n')
  return truth
}

console.log('interop (a): files written by floe')
const CODECS = ['zstd', 'snappy', 'gzip', 'lz4_raw', 'none']
const csvPath = join(tmp, 'flat.csv')
const flatTruthRows = writeFlatCsv(csvPath)
const flatNames = FLAT.map((c) => c[0]), flatTypes = FLAT.map((c) => c[2])
const ddl = FLAT.map(([n, d]) => `${n} ${d}`).join(', ')
for (const codec of CODECS) {
  const file = join(tmp, `flat_${codec}.parquet`)
  let written = true
  await tryCheck(`floe parquet write --codec ${codec} (flat types from CSV)`, () => {
    try {
      execFileSync(floe, ['parquet', 'write', '--schema', ddl, '--header', '--codec', codec, '--row-group-bytes', '8K', csvPath, file], { stdio: ['ignore', 'ignore', 'pipe'] })
      return []
    } catch (e) { written = false; return [String(e.stderr || e.message).trim()] }
  })
  if (!written) continue
  await tryCheck(`flat_${codec}: floe cat = CSV`, () => L.compareRows(flatNames, flatTruthRows, floeRows(file, flatNames, flatTypes)))
  await tryCheck(`flat_${codec}: DuckDB = CSV`, async () => L.compareRows(flatNames, flatTruthRows, await duckRows(file, flatNames, flatTypes)))
  await tryCheck(`flat_${codec}: hyparquet = CSV`, async () => L.compareRows(flatNames, hyForm(flatTruthRows, flatTypes), await hyRows(file, flatNames, flatTypes)))
}

// ---- (a) floe writes nested types (floe-interop-gen) ---------------------

const NESTED = [
  ['id', T.int],
  ['s', T.struct(['a', T.int], ['b', T.string])],
  ['l', T.list(T.int)],
  ['m', T.map(T.string, T.int)],
  ['ls', T.list(T.struct(['x', T.double], ['y', T.list(T.string)]))],
  ['sl', T.struct(['tags', T.list(T.string)], ['inner', T.struct(['z', T.date], ['u', T.uuid])])],
  ['mi', T.map(T.int, T.list(T.int))],
]
const nNames = NESTED.map((c) => c[0]), nTypes = NESTED.map((c) => c[1])
for (const codec of CODECS) {
  const file = join(tmp, `nested_${codec}.parquet`)
  let written = true
  await tryCheck(`floe-interop-gen ${codec} (nested types)`, () => {
    try { execFileSync(gen, [file, codec, '300', '4096'], { stdio: ['ignore', 'ignore', 'pipe'] }); return [] } catch (e) { written = false; return [String(e.stderr || e.message).trim()] }
  })
  if (!written) continue
  let mine = null
  await tryCheck(`nested_${codec}: floe cat reads ${300} rows`, () => {
    mine = floeRows(file, nNames, nTypes)
    return mine.length === 300 ? [] : [`${mine.length} rows`]
  })
  if (!mine) continue
  await tryCheck(`nested_${codec}: DuckDB = floe`, async () => L.compareRows(nNames, mine, await duckRows(file, nNames, nTypes)))
  await tryCheck(`nested_${codec}: hyparquet = floe`, async () => L.compareRows(nNames, hyForm(mine, nTypes), await hyRows(file, nNames, nTypes)))
}

// ---- (b) DuckDB writes, floe reads --------------------------------------

const nul = (k, expr) => `CASE WHEN i % 11 = ${k} THEN NULL ELSE ${expr} END`
const DUCK = [
  ['b', 'BOOLEAN', T.bool, 'i % 3 = 0'],
  ['ti', 'TINYINT', T.int, '(i % 256 - 128)::TINYINT'],
  ['si', 'SMALLINT', T.int, '((i * 131) % 65536 - 32768)::SMALLINT'],
  ['ii', 'INTEGER', T.int, '((i * 2654435761) % 4294967296 - 2147483648)::INTEGER'],
  ['bi', 'BIGINT', T.int, '((i::HUGEINT * 3037000493 * 3037000493) % 18446744073709551616 - 9223372036854775808)::BIGINT'],
  ['ut', 'UTINYINT', T.int, '(i % 256)::UTINYINT'],
  ['us', 'USMALLINT', T.int, '((i * 977) % 65536)::USMALLINT'],
  ['ui', 'UINTEGER', T.int, '((i * 2654435761) % 4294967296)::UINTEGER'],
  ['ub', 'UBIGINT', T.int, '((i::HUGEINT * 3037000493 * 3037000493) % 18446744073709551616)::UBIGINT'],
  ['f', 'FLOAT', T.float, '(i / 7.0 - 20)::FLOAT'],
  ['d', 'DOUBLE', T.double, '(i / 7.0 - 20) * 1e10'],
  ['d41', 'DECIMAL(4,1)', T.dec(1), '((i % 19999) - 9999) / 10'],
  ['d92', 'DECIMAL(9,2)', T.dec(2), '(i * 1234567 % 199999999 - 99999999) / 100'],
  ['d184', 'DECIMAL(18,4)', T.dec(4), '(i::HUGEINT * 987654321987 % 999999999999999999) / 10000'],
  ['d3810', 'DECIMAL(38,10)', T.dec(10), '(i::HUGEINT * 98765432109876543210987 % 99999999999999999999999999999999999999 - 50000000000000000000000000000000000000) / 10000000000'],
  ['dt', 'DATE', T.date, "DATE '1970-01-01' + (i * 37 - 5000)::INTEGER"],
  ['tm', 'TIME', T.time, "TIME '00:00:00' + INTERVAL (i * 123456789 % 86400000000) MICROSECOND"],
  ['ts', 'TIMESTAMP', T.ts, "TIMESTAMP '2000-01-01' + INTERVAL (i * 123456789012 - 5000000000000) MICROSECOND"],
  ['tsms', 'TIMESTAMP_MS', T.ts, "(TIMESTAMP '2000-01-01' + INTERVAL (i * 123456789) MILLISECOND)::TIMESTAMP_MS"],
  ['tsns', 'TIMESTAMP_NS', T.ts, "(TIMESTAMP '2000-01-01' + INTERVAL (i * 123456789) MICROSECOND)::TIMESTAMP_NS"],
  ['tstz', 'TIMESTAMPTZ', T.ts, "(TIMESTAMP '2000-01-01' + INTERVAL (i * 987654321) MICROSECOND)::TIMESTAMPTZ"],
  ['s', 'VARCHAR', T.string, "CASE i % 5 WHEN 0 THEN '' WHEN 1 THEN 'ünï 日本 ' || i WHEN 2 THEN 'same' ELSE repeat('x', i % 13) || i END"],
  ['bl', 'BLOB', T.binary, "('b' || i)::BLOB"],
  ['u', 'UUID', T.uuid, "('00000000-0000-4000-8000-' || lpad(i::VARCHAR, 12, '0'))::UUID"],
  ['st', 'STRUCT(a INTEGER, b VARCHAR)', T.struct(['a', T.int], ['b', T.string]), "{'a': CASE WHEN i % 4 = 0 THEN NULL ELSE i END, 'b': 'x' || i}"],
  ['li', 'INTEGER[]', T.list(T.int), 'CASE WHEN i % 6 = 1 THEN [] ELSE [i, NULL, i + 1] END'],
  ['ls', 'VARCHAR[]', T.list(T.string), "CASE WHEN i % 3 = 0 THEN ['a', NULL] ELSE ['q' || i] END"],
  ['lls', 'INTEGER[][]', T.list(T.list(T.int)), 'CASE WHEN i % 4 = 0 THEN [[1, 2], [], NULL, [i]] ELSE [[i]] END'],
  ['mp', 'MAP(VARCHAR, INTEGER)', T.map(T.string, T.int), "CASE WHEN i % 5 = 1 THEN MAP {} ELSE MAP {'k' || i: i, 'z': NULL} END"],
  ['nest', 'STRUCT(l INTEGER[], m MAP(INTEGER, VARCHAR), s STRUCT(x DOUBLE))', T.struct(['l', T.list(T.int)], ['m', T.map(T.int, T.string)], ['s', T.struct(['x', T.double])]),
    "{'l': [i, i * 2], 'm': MAP {i: 'v' || i}, 's': CASE WHEN i % 3 = 0 THEN NULL ELSE {'x': i / 3} END}"],
  ['hi', 'HUGEINT', T.double, '(i::HUGEINT - 1000) * 100000000000000000000'], // DuckDB writes DOUBLE
  ['en', 'mood', T.string, "(['sad', 'ok', 'happy'])[i % 3 + 1]::mood"], // ENUM: dictionary of strings
  ['js', 'JSON', T.string, `('{"k": ' || i || '}')::JSON`],
  // ARRAY: written as a LIST; no NULL arrays: DuckDB 1.5 writes a NULL
  // INTEGER[3] as a NULL list followed by repetition level 1 entries
  ['arr', 'INTEGER[3]', T.list(T.int), '[i, NULL, -i]', 'no nulls'],
  ['lst', 'STRUCT(p INTEGER, q VARCHAR)[]', T.list(T.struct(['p', T.int], ['q', T.string])), "[{'p': i, 'q': NULL}, NULL, {'p': NULL, 'q': 'w'}]"],
]
console.log('interop (b): files written by DuckDB, read by floe')
const dNames = DUCK.map((c) => c[0]), dTypes = DUCK.map((c) => c[2])
let tableOk = true
await tryCheck(`DuckDB table of ${DUCK.length} column types`, async () => {
  try {
    await duck.run("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    await duck.run(`CREATE TABLE t AS SELECT ${DUCK.map(([n, ty, , e, noNulls], k) => `(${noNulls ? e : nul(k % 11, e)})::${ty} AS ${n}`).join(', ')} FROM range(2000) r(i) ORDER BY i`)
    return []
  } catch (e) { tableOk = false; return [String(e.message)] }
})
const VARIANTS = [
  ['zstd', 'COMPRESSION zstd'],
  ['snappy', 'COMPRESSION snappy'],
  ['gzip', 'COMPRESSION gzip'],
  ['lz4_raw', 'COMPRESSION lz4_raw'],
  ['brotli', 'COMPRESSION brotli'],
  ['uncompressed', 'COMPRESSION uncompressed'],
  ['no_dictionary', 'COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 1'],
  ['page_v2', 'COMPRESSION zstd, PARQUET_VERSION v2'],
  ['page_v2_snappy_small_groups', 'COMPRESSION snappy, PARQUET_VERSION v2, ROW_GROUP_SIZE 300'],
  ['small_row_groups', 'COMPRESSION uncompressed, ROW_GROUP_SIZE 128'],
]
for (const [name, opts] of tableOk ? VARIANTS : []) {
  const file = join(tmp, `duckdb_${name}.parquet`)
  let ok = true
  await tryCheck(`DuckDB COPY (${opts})`, async () => {
    try { await duck.run(`COPY t TO ${sqlPath(file)} (FORMAT parquet, ${opts})`); return [] } catch (e) { ok = false; return [String(e.message)] }
  })
  if (!ok) continue
  const want = await duckRows(file, dNames, dTypes)
  await tryCheck(`duckdb_${name}: floe cat = DuckDB (${want.length} rows, ${dNames.length} columns)`, () => L.compareRows(dNames, want, floeRows(file, dNames, dTypes)))
}

// ---- (c) the floe command itself ----------------------------------------

console.log('interop (c): the floe command')
function run(args) {
  try {
    const stdout = execFileSync(floe, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }).toString()
    return { code: 0, stdout, stderr: '' }
  } catch (e) {
    return { code: e.status ?? -1, stdout: String(e.stdout || ''), stderr: String(e.stderr || '') }
  }
}
function expectExit(name, args, code, stderrPattern) {
  const r = run(args)
  const problems = []
  if (r.code !== code) problems.push(`exit ${r.code}, expected ${code} (stderr: ${r.stderr.trim().split('\n')[0]})`)
  if (stderrPattern && !stderrPattern.test(r.stderr)) problems.push(`stderr ${JSON.stringify(r.stderr.slice(0, 200))} does not match ${stderrPattern}`)
  L.report(name, problems)
  return r
}
// RFC 4180 records; a field is {text, quoted}
function parseCsv(textIn) {
  const rows = []
  let row = [], i = 0
  while (i < textIn.length) {
    let field = '', quoted = false
    if (textIn[i] === '"') {
      quoted = true; i++
      for (;;) {
        if (textIn[i] === '"' && textIn[i + 1] === '"') { field += '"'; i += 2 } else if (textIn[i] === '"') { i++; break } else field += textIn[i++]
      }
    } else {
      while (i < textIn.length && textIn[i] !== ',' && textIn[i] !== '\n') field += textIn[i++]
    }
    row.push({ text: field, quoted })
    if (textIn[i] === ',') { i++; continue }
    i++ // newline
    rows.push(row); row = []
  }
  return rows
}

const flatFile = join(tmp, 'flat_zstd.parquet')
{
  const v = run(['--version'])
  L.report('floe --version', v.code === 0 && /^floe \d+\.\d+\.\d+\n$/.test(v.stdout) ? [] : [`exit ${v.code}, stdout ${JSON.stringify(v.stdout)}`])
  const h = run(['help'])
  L.report('floe help lists the parquet commands', h.code === 0 && /parquet write/.test(h.stdout) && /parquet scan/.test(h.stdout) ? [] : [`exit ${h.code}`])
  expectExit('floe --bogus (shell option) is a usage error', ['--bogus'], 2, /unknown or incomplete option "--bogus"/)
  {
    const wh = join(tmp, 'shell-wh')
    const q = run(['--warehouse', wh, '--format', 'csv', '-c', "SELECT 1 + 1 AS two, 'x' AS s"])
    L.report('floe -c runs SQL and prints CSV with a header', q.code === 0 && q.stdout === 'two,s\n2,x\n' ? [] : [`exit ${q.code}, stdout ${JSON.stringify(q.stdout)}, stderr ${q.stderr.slice(0, 200)}`])
    expectExit('floe -c with bad SQL fails with the error on stderr', ['--warehouse', wh, '-c', 'SELEC 1'], 1, /^Error: .*syntax/i)
  }
  expectExit('floe frobnicate is a usage error', ['frobnicate'], 2, /unknown command "frobnicate"/)
  expectExit('floe parquet cat (no file) is a usage error', ['parquet', 'cat'], 2, /parquet cat takes one FILE/)
  expectExit('floe parquet cat --limit x is a usage error', ['parquet', 'cat', '--limit', 'x', flatFile], 2, /invalid --limit "x"/)
  expectExit('floe parquet cat --format xml is a usage error', ['parquet', 'cat', '--format', 'xml', flatFile], 2, /unknown format/)
  expectExit('floe parquet cat --bogus is a usage error', ['parquet', 'cat', '--bogus', flatFile], 2, /unknown option/)
  expectExit('floe parquet write without --schema is a usage error', ['parquet', 'write', csvPath, join(tmp, 'x.parquet')], 2, /needs --schema/)
  expectExit('floe parquet write --codec lzo is a usage error', ['parquet', 'write', '--schema', 'a int', '--codec', 'lzo', csvPath, join(tmp, 'x.parquet')], 2, /lzo/)
  expectExit('floe parquet cat on a missing file fails', ['parquet', 'cat', join(tmp, 'missing.parquet')], 1, /^floe: could not open .*missing\.parquet/)
  expectExit('floe parquet cat --columns nope fails', ['parquet', 'cat', '--columns', 'i32,nope', flatFile], 1, /column "nope" does not exist/)
  expectExit('floe parquet meta on a CSV file fails', ['parquet', 'meta', csvPath], 1, /^floe: /)

  // cat as CSV: header, quoting, NULL vs empty string, --limit
  const c = run(['parquet', 'cat', flatFile, '--columns', 's,i32,dec9', '--limit', '100'])
  const problems = []
  if (c.code !== 0) problems.push(`exit ${c.code}: ${c.stderr}`)
  else {
    const rows = parseCsv(c.stdout)
    if (rows.length !== 101) problems.push(`${rows.length} CSV records, expected 101`)
    if (rows[0].map((f) => f.text).join(',') !== 's,i32,dec9') problems.push(`header ${rows[0].map((f) => f.text)}`)
    const si = flatNames.indexOf('s'), ii = flatNames.indexOf('i32'), di = flatNames.indexOf('dec9')
    for (let r = 1; r < rows.length && problems.length < 5; r++) {
      const want = flatTruthRows[r - 1]
      const [s, i, d] = rows[r]
      const gotS = s.text === '' && !s.quoted ? null : s.text
      if (gotS !== want[si]) problems.push(`row ${r - 1} s: ${JSON.stringify(gotS)} vs ${JSON.stringify(want[si])}`)
      const gotI = i.text === '' ? null : BigInt(i.text).toString()
      if (gotI !== want[ii]) problems.push(`row ${r - 1} i32: ${gotI} vs ${want[ii]}`)
      const gotD = d.text === '' ? null : L.decimalUnscaled(d.text, 2)
      if (gotD !== want[di]) problems.push(`row ${r - 1} dec9: ${gotD} vs ${want[di]}`)
    }
  }
  L.report('floe parquet cat --columns s,i32,dec9 --limit 100 (CSV)', problems)

  // schema: one line per column with its type, nullability and field id
  const sc = run(['parquet', 'schema', flatFile])
  const sp = []
  if (sc.code !== 0) sp.push(`exit ${sc.code}`)
  const lines = sc.stdout.trimEnd().split('\n')
  if (!/240 rows/.test(lines[0] || '')) sp.push(`first line ${lines[0]}`)
  FLAT.forEach(([n], k) => {
    if (!lines.some((l) => l.startsWith(`  ${n}: `) && l.includes(` nullable id=${k + 1}`))) sp.push(`no line for column ${n} with id=${k + 1}`)
  })
  if (!lines.some((l) => /^ {2}dec38: decimal\(38,10\) \[FIXED_LEN_BYTE_ARRAY\(16\) DECIMAL\]/.test(l))) sp.push('dec38 is not FLBA(16) DECIMAL')
  L.report('floe parquet schema (names, types, nullability, field ids)', sp)

  // meta: valid JSON whose statistics agree with the data of each row group
  const m = run(['parquet', 'meta', flatFile])
  const mp = []
  try {
    const meta = JSON.parse(m.stdout)
    if (meta.num_rows !== 240) mp.push(`num_rows ${meta.num_rows}`)
    if (!/^floe/.test(meta.created_by)) mp.push(`created_by ${meta.created_by}`)
    if (meta.row_groups.length < 2) mp.push(`${meta.row_groups.length} row groups; --row-group-bytes 8K should give several`)
    let first = 0
    for (const rg of meta.row_groups) {
      for (const [k, name] of [[flatNames.indexOf('i64'), 'i64'], [flatNames.indexOf('dec18'), 'dec18']]) {
        const col = rg.columns.find((cc) => cc.path === name)
        if (!col) { mp.push(`no column chunk ${name}`); continue }
        if (col.codec !== 'ZSTD') mp.push(`${name} codec ${col.codec}`)
        const vals = flatTruthRows.slice(first, first + rg.num_rows).map((r) => r[k]).filter((v) => v !== null).map(BigInt)
        const nulls = rg.num_rows - vals.length
        const st = col.statistics
        const unscaled = (x) => BigInt(name === 'dec18' ? L.decimalUnscaled(x, 4) : x)
        if (st.null_count !== nulls) mp.push(`${name} null_count ${st.null_count}, expected ${nulls}`)
        const min = vals.reduce((a, b) => (b < a ? b : a)), max = vals.reduce((a, b) => (b > a ? b : a))
        if (unscaled(st.min) !== min || unscaled(st.max) !== max) mp.push(`${name} min/max ${st.min}/${st.max}, expected ${min}/${max} (unscaled)`)
      }
      first += rg.num_rows
    }
  } catch (e) { mp.push(`${e.message}: ${m.stderr}`) }
  L.report('floe parquet meta (JSON; statistics match the data)', mp)

  // write from a CREATE TABLE file with a header, a delimiter and a NULL string
  const ddlFile = join(tmp, 'people.sql')
  writeFileSync(ddlFile, 'create table people(\n  id integer not null,\n  name varchar(20),\n  born date,\n  primary key (id)\n);\n')
  const txt = join(tmp, 'people.txt')
  writeFileSync(txt, 'id|name|born\n1|Ada|1815-12-10\n2|\\N|\\N\n3||1912-06-23\n')
  const out = join(tmp, 'people.parquet')
  const w = run(['parquet', 'write', '--schema', ddlFile, '--delimiter', '|', '--header', '--null', '\\N', txt, out])
  const wp = []
  if (w.code !== 0) wp.push(`write exit ${w.code}: ${w.stderr}`)
  else {
    const j = run(['parquet', 'cat', '--format', 'json', out]).stdout
    const want = '{"id":1,"name":"Ada","born":"1815-12-10"}\n{"id":2,"name":null,"born":null}\n{"id":3,"name":"","born":"1912-06-23"}\n'
    if (j !== want) wp.push(`cat gave ${JSON.stringify(j)}`)
  }
  L.report('floe parquet write --schema FILE.sql --header --null --delimiter', wp)

  const bad = join(tmp, 'nulls.txt')
  writeFileSync(bad, '1|x\n|y\n')
  const nn = expectExit('floe parquet write rejects NULL in a NOT NULL column', ['parquet', 'write', '--schema', 'a int not null, b varchar', '--delimiter', '|', bad, join(tmp, 'nn.parquet')], 1, /not nullable|null/i)
  void nn
  L.report('a failed write leaves no output file', run(['parquet', 'meta', join(tmp, 'nn.parquet')]).code === 1 ? [] : ['nn.parquet exists'])

  // scan
  const s = run(['parquet', 'scan', '--threads', '2', flatFile])
  L.report('floe parquet scan reports every row', s.code === 0 && /^scan: 240 rows, 18 columns/.test(s.stdout) ? [] : [`exit ${s.code}: ${s.stdout}${s.stderr}`])
}

// ---- (d) TPC-DS text -> Parquet -> CSV is the identity -------------------

console.log('interop (d): TPC-DS tables round trip through floe')
{
  const here = new URL('.', import.meta.url).pathname
  const candidates = [process.env.FLOE_SHARED, join(here, '../../../shared'), '/work/shared'].filter(Boolean)
  const shared = candidates.find((d) => existsSync(join(d, 'tpcds/sf1-web')))
  // tables whose text holds no comma or quote, so that floe's CSV output must
  // equal the input with '|' turned into ',' byte for byte
  for (const table of ['web_returns', 'date_dim', 'customer_address']) {
    await tryCheck(`${table}: text -> floe parquet write -> floe parquet cat gives the text back`, () => {
      if (!shared) return ['shared data (tpcds/sf1-web) not found: set FLOE_SHARED']
      const file = join(tmp, `${table}.parquet`)
      execFileSync(floe, ['parquet', 'write', '--schema', join(shared, `tpcds/schema/${table}.sql`), '--delimiter', '|',
        join(shared, `tpcds/sf1-web/${table}.dat.zst`), file], { stdio: ['ignore', 'ignore', 'pipe'] })
      const got = execFileSync(floe, ['parquet', 'cat', file], { maxBuffer: 1 << 30 }).toString().split('\n')
      const text = execFileSync('zstd', ['-dc', join(shared, `tpcds/sf1-web/${table}.dat.zst`)], { maxBuffer: 1 << 30 }).toString()
      const want = text.split('\n').filter((l) => l.length).map((l) => l.replaceAll('|', ','))
      // fields must be equal as text, or as numbers (decimals print their scale: -7 is -7.00)
      const same = (a, b) => a === b || (a !== '' && b !== '' && !isNaN(Number(a)) && Number(a) === Number(b))
      const problems = []
      if (got.length - 2 !== want.length) problems.push(`${got.length - 2} rows, expected ${want.length}`)
      for (let i = 0; i < want.length && problems.length < 5; i++) {
        if (got[i + 1] === want[i]) continue
        const g = (got[i + 1] || '').split(','), w = want[i].split(',')
        if (g.length !== w.length || g.some((f, k) => !same(f, w[k])))
          problems.push(`row ${i}: ${JSON.stringify(got[i + 1])} != ${JSON.stringify(want[i])}`)
      }
      return problems
    })
  }
}

console.log(`${L.tally.passed} passed, ${L.tally.failed} failed`)
process.exit(L.tally.failed ? 1 : 0)
