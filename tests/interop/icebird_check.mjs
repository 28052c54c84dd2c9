// tests/interop/icebird_check.mjs: floe's Iceberg tables read by icebird
// (npm "icebird", an independent pure-JavaScript Iceberg reader on
// hyparquet), snapshot by snapshot.
//
// usage: node tests/interop/icebird_check.mjs FLOE_ICEBIRD_GEN [WORK_DIR]
//   (run.sh passes BUILD_DIR/floe-icebird-gen; the floe command is the
//   `floe` next to it)
//
// 1. `icebird.sh build` makes the tables with the floe CLI (and the gen for
//    position and equality deletes, and a second append path) and checks the CLI's
//    branch/tag/cherry-pick/alter commands; its lines count here.
// 2. For every table and every snapshot: icebird reads the metadata version
//    that made the snapshot current (the first one whose current snapshot is
//    it and whose current schema is the snapshot's schema; icebird reads a
//    version's current snapshot through its current schema), and its rows
//    must equal `floe iceberg scan --snapshot ID --format json`, compared as
//    canonical values (longs as BigInt text, timestamps as epoch
//    milliseconds, dates as days, doubles as numbers) after sorting.
// 3. `icebird.sh expire` checks expiry under the refs' retention (after the
//    comparisons, since it deletes files older versions name).
// icebird has no local-file transport: fetch is wrapped here to serve
// absolute paths from disk (HEAD and Range requests as S3 answers them).
// Ends with "N passed, N failed"; exit 1 on any failure.

import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { icebergRead } from 'icebird'
import { Num, parseDate, parseJsonExact, parseTimestampNanos, report, same, tally } from './lib.mjs'

const gen = process.argv[2]
if (!gen) {
  console.error('usage: node icebird_check.mjs FLOE_ICEBIRD_GEN [WORK_DIR]')
  process.exit(2)
}
const floe = path.join(path.dirname(path.resolve(gen)), 'floe')
const here = path.dirname(fileURLToPath(import.meta.url))
const dir = path.resolve(process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), 'floe-icebird-')))
fs.mkdirSync(dir, { recursive: true })
const wh = path.join(dir, 'wh')

// ---- local files for icebird's fetch ----------------------------------
const realFetch = globalThis.fetch
globalThis.fetch = async (url, init = {}) => {
  const u = String(url)
  if (!u.startsWith('/') && !u.startsWith('file://')) return realFetch(url, init)
  const p = u.startsWith('file://') ? fileURLToPath(u) : u
  let data
  try { data = fs.readFileSync(p) } catch { return new Response('not found', { status: 404, statusText: 'Not Found' }) }
  if ((init.method || 'GET') === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(data.length) } })
  const range = new Headers(init.headers).get('range')
  const m = range && /^bytes=(\d+)-(\d*)$/.exec(range)
  if (m) {
    const start = Number(m[1])
    const end = m[2] === '' ? data.length : Math.min(data.length, Number(m[2]) + 1)
    return new Response(data.subarray(start, end), { status: 206 })
  }
  return new Response(data, { status: 200 })
}

// ---- running the shell phases -----------------------------------------
function phase(name) {
  const r = spawnSync('bash', [path.join(here, 'icebird.sh'), name, floe, path.resolve(gen), dir], { encoding: 'utf8' })
  process.stdout.write(r.stdout)
  process.stderr.write(r.stderr)
  const last = /^(\d+) passed, (\d+) failed$/m.exec(r.stdout.trim().split('\n').pop() || '')
  if (!last) {
    report(`icebird.sh ${name} ended with its summary line`, [`exit status ${r.status}`])
    return
  }
  tally.passed += Number(last[1])
  tally.failed += Number(last[2])
  if (r.status !== 0 && Number(last[2]) === 0) report(`icebird.sh ${name} exit status`, [`exit status ${r.status}`])
}

// ---- canonical values --------------------------------------------------
function kindOf(type) {
  if (typeof type !== 'string') throw new Error(`nested column type ${JSON.stringify(type)} is not compared`)
  if (type === 'int' || type === 'long') return 'int'
  if (type === 'float' || type === 'double' || type.startsWith('decimal')) return 'num'
  if (type === 'timestamp' || type === 'timestamptz') return 'ts'
  if (type === 'date') return 'date'
  if (type === 'boolean') return 'bool'
  if (type === 'string') return 'string'
  throw new Error(`column type ${type} is not compared`)
}

function canonFloe(kind, v) {
  if (v === null || v === undefined) return null
  const t = v instanceof Num ? v.text : v
  switch (kind) {
    case 'int': return BigInt(t).toString()
    case 'num': return String(Number(t))
    case 'ts': return (parseTimestampNanos(t) / 1000000n).toString()
    case 'date': return String(parseDate(t))
    case 'bool': return String(v)
    default: return String(t)
  }
}

function canonIcebird(kind, v) {
  if (v === null || v === undefined) return null
  switch (kind) {
    case 'int': return BigInt(v).toString()
    case 'num': return String(Number(v))
    case 'ts': return String(v instanceof Date ? v.getTime() : Number(BigInt(v) / 1000n))
    case 'date': return String(v instanceof Date ? Math.round(v.getTime() / 86400000) : v)
    case 'bool': return String(v)
    default: return String(v)
  }
}

const sortRows = (rows) => rows.map((r) => JSON.stringify(r)).sort()

// ---- per table ---------------------------------------------------------
function floeOut(args) {
  return execFileSync(floe, ['iceberg', ...args, '--warehouse', wh], { encoding: 'utf8', maxBuffer: 1 << 26 })
}

async function compareTable(table) {
  const location = /^location: (.*)$/m.exec(floeOut(['info', table]))[1]
  const mdDir = path.join(location, 'metadata')
  const versions = fs.readdirSync(mdDir).filter((f) => f.endsWith('.metadata.json')).sort()
  // snapshot ids need all 64 bits: read them as strings
  const exact = (text) => JSON.parse(text.replace(/("(?:snapshot-id|current-snapshot-id|parent-snapshot-id)"\s*:\s*)(-?\d+)/g, '$1"$2"'))
  const docs = versions.map((f) => [f, exact(fs.readFileSync(path.join(mdDir, f), 'utf8'))])
  const last = docs[docs.length - 1][1]
  for (const snap of last.snapshots) {
    const id = BigInt(snap['snapshot-id'])
    const name = `${table} snapshot ${id} (${snap.summary.operation})`
    const hit = docs.find(([, d]) => d['current-snapshot-id'] !== undefined && BigInt(d['current-snapshot-id']) === id &&
      d['current-schema-id'] === snap['schema-id'])
    if (!hit) { report(name, ['no metadata version has it current with its own schema']); continue }
    const [file, md] = hit
    const schema = md.schemas.find((s) => s['schema-id'] === md['current-schema-id'])
    const problems = []
    try {
      const kinds = schema.fields.map((f) => [f.name, kindOf(f.type)])
      const got = await icebergRead({ tableUrl: location, metadataFileName: file })
      const lines = floeOut(['scan', table, '--snapshot', String(id), '--format', 'json']).split('\n').filter((l) => l)
      const want = lines.map((l) => { const o = parseJsonExact(l); return kinds.map(([n, k]) => canonFloe(k, o.get(n))) })
      const have = got.map((r) => kinds.map(([n, k]) => canonIcebird(k, r[n])))
      const a = sortRows(want), b = sortRows(have)
      if (a.length !== b.length) problems.push(`icebird read ${b.length} rows, floe ${a.length}`)
      for (let i = 0; i < Math.min(a.length, b.length) && problems.length < 5; i++)
        if (!same(a[i], b[i])) problems.push(`row ${i}: icebird ${b[i]}, floe ${a[i]}`)
      if (want.length === 0) problems.push('floe read no rows: nothing was compared')
    } catch (e) {
      problems.push(`${e.message}`)
    }
    report(name, problems)
  }
}

phase('build')
const tables = fs.existsSync(path.join(dir, 'tables.txt'))
  ? fs.readFileSync(path.join(dir, 'tables.txt'), 'utf8').split('\n').filter((l) => l)
  : []
if (tables.length !== 9) report('icebird.sh built 9 tables', [`tables.txt lists ${tables.length}`])
for (const t of tables) await compareTable(t)
phase('expire')
console.log(`${tally.passed} passed, ${tally.failed} failed`)
process.exit(tally.failed === 0 ? 0 : 1)
