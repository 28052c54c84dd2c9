// lib.mjs: shared helpers of the interop checks: a JSON parser that keeps
// numbers as their exact text, canonical forms of values per type (so that
// floe's `parquet cat --format json`, DuckDB's and hyparquet's values can be
// compared exactly), a deep comparison, and pass/fail counting.
//
// Types are descriptors: {k:'bool'|'int'|'float'|'double'|'date'|'time'|
// 'timestamp'|'string'|'binary'|'uuid'}, {k:'decimal', scale}, {k:'struct',
// fields:[[name, type], ...]}, {k:'list', elem}, {k:'map', key, value}.
// Canonical forms: integers, decimals (unscaled at the declared scale), dates
// (days), times (micros) and timestamps (nanos) as decimal strings; floats
// as String(value) after rounding to float32 where the type is FLOAT;
// binary and fixed as lowercase hex; uuids lowercase with dashes; structs as
// objects; lists as arrays; maps as arrays of [key, value].

export class Num { constructor(text) { this.text = text } }
// A JSON object as its entries in order (floe's maps are objects keyed by the
// keys' text, and JS objects would reorder integer-like keys).
export class Obj { constructor(entries) { this.entries = entries } get(k) { const e = this.entries.find((x) => x[0] === k); return e ? e[1] : undefined } }

export function parseJsonExact(text) {
  let i = 0
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++ }
  const value = () => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++; const o = new Obj([]); ws()
      if (text[i] === '}') { i++; return o }
      for (;;) {
        const k = value(); ws()
        if (text[i++] !== ':') throw new Error(`bad JSON at ${i}`)
        o.entries.push([k, value()]); ws()
        if (text[i] === ',') { i++; continue }
        if (text[i++] !== '}') throw new Error(`bad JSON at ${i}`)
        return o
      }
    }
    if (c === '[') {
      i++; const a = []; ws()
      if (text[i] === ']') { i++; return a }
      for (;;) {
        a.push(value()); ws()
        if (text[i] === ',') { i++; continue }
        if (text[i++] !== ']') throw new Error(`bad JSON at ${i}`)
        return a
      }
    }
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') { if (text[j] === '\\') j++; j++; if (j > text.length) throw new Error('bad JSON string') }
      const s = JSON.parse(text.slice(i, j + 1)); i = j + 1; return s
    }
    if (text.startsWith('true', i)) { i += 4; return true }
    if (text.startsWith('false', i)) { i += 5; return false }
    if (text.startsWith('null', i)) { i += 4; return null }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) throw new Error(`bad JSON at ${i}: ${text.slice(i, i + 20)}`)
    i += m[0].length
    return new Num(m[0])
  }
  const v = value(); ws()
  if (i !== text.length) throw new Error(`trailing JSON at ${i}`)
  return v
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const text = (v) => (v instanceof Num ? v.text : String(v))

export function daysFromCivil(y, m, d) {
  const t = new Date(0); t.setUTCFullYear(y, m - 1, d); t.setUTCHours(0, 0, 0, 0)
  return Math.round(t.getTime() / 86400000)
}

// "[-]YYYY-MM-DD" -> days
export function parseDate(s) {
  const m = /^(-?\d{4,})-(\d\d)-(\d\d)$/.exec(s)
  if (!m) throw new Error(`bad date "${s}"`)
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]))
}
// "HH:MM:SS[.f]" -> nanos (BigInt)
export function parseTimeNanos(s) {
  const m = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?$/.exec(s)
  if (!m) throw new Error(`bad time "${s}"`)
  const frac = BigInt(((m[4] || '') + '000000000').slice(0, 9))
  return (BigInt(m[1]) * 3600n + BigInt(m[2]) * 60n + BigInt(m[3] || 0)) * 1000000000n + frac
}
// "YYYY-MM-DD[ T]HH:MM:SS[.f][Z|+HH:MM|-HH:MM|+HH]" -> nanos since epoch (UTC when zoned)
export function parseTimestampNanos(s) {
  const m = /^(-?\d{4,}-\d\d-\d\d)(?:[ T]([\d:.]+))?(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(s)
  if (!m) throw new Error(`bad timestamp "${s}"`)
  let nanos = BigInt(parseDate(m[1])) * 86400n * 1000000000n + (m[2] ? parseTimeNanos(m[2]) : 0n)
  if (m[3] && m[3] !== 'Z') {
    const z = /^([+-])(\d\d):?(\d\d)?$/.exec(m[3])
    const off = (BigInt(z[2]) * 3600n + BigInt(z[3] || 0) * 60n) * 1000000000n
    nanos -= z[1] === '+' ? off : -off
  }
  return nanos
}
// decimal text -> unscaled BigInt at `scale` (exact; the text must not have more digits)
export function decimalUnscaled(s, scale) {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s)
  if (!m) throw new Error(`bad decimal "${s}"`)
  let digits = (m[2] || '') + (m[3] || '')
  let exp = -(m[3] || '').length + Number(m[4] || 0) + scale
  if (exp >= 0) digits += '0'.repeat(exp)
  else {
    const cut = digits.slice(digits.length + exp)
    if (/[1-9]/.test(cut)) throw new Error(`decimal "${s}" has more than ${scale} fraction digits`)
    digits = digits.slice(0, digits.length + exp)
  }
  const v = BigInt(digits || '0')
  return (m[1] === '-' ? -v : v).toString()
}

// ---- canonical forms per source ----------------------------------------

// floe: values from parseJsonExact of `floe parquet cat --format json`
export function canonFloe(t, v) {
  if (v === null || v === undefined) return null
  switch (t.k) {
    case 'bool': if (typeof v !== 'boolean') throw new Error(`not a boolean: ${text(v)}`); return String(v)
    case 'int': return BigInt(text(v)).toString()
    case 'float': return String(Math.fround(Number(text(v))))
    case 'double': return String(Number(text(v)))
    case 'decimal': return decimalUnscaled(text(v), t.scale)
    case 'date': return String(parseDate(v))
    case 'time': return (parseTimeNanos(v) / 1000n).toString()
    case 'timestamp': return parseTimestampNanos(v).toString()
    case 'string': return v
    case 'binary': return v.toLowerCase()
    case 'uuid': return v.toLowerCase()
    case 'struct': return Object.fromEntries(t.fields.map(([n, ft]) => [n, canonFloe(ft, v.get(n))]))
    case 'list': return v.map((e) => canonFloe(t.elem, e))
    case 'map': // an object keyed by the keys' text
      return v.entries.map(([k, x]) => [canonFloe(t.key, t.key.k === 'string' || t.key.k === 'uuid' || t.key.k === 'date' || t.key.k === 'timestamp' || t.key.k === 'time' || t.key.k === 'binary' ? k : new Num(k)), canonFloe(t.value, x)])
  }
  throw new Error(`unknown type ${t.k}`)
}

function duckTimeNanos(v) {
  if (v.nanos !== undefined) return BigInt(v.nanos)
  if (v.micros !== undefined) return BigInt(v.micros) * 1000n
  if (v.millis !== undefined) return BigInt(v.millis) * 1000000n
  if (v.seconds !== undefined) return BigInt(v.seconds) * 1000000000n
  throw new Error(`unknown DuckDB time value ${v}`)
}

// DuckDB: values of @duckdb/node-api's getRowObjects()
export function canonDuck(t, v) {
  if (v === null || v === undefined) return null
  switch (t.k) {
    case 'bool': return String(v)
    case 'int': return BigInt(v).toString()
    case 'float': return String(Math.fround(Number(v)))
    case 'double': return String(Number(v))
    case 'decimal': {
      const diff = t.scale - v.scale
      return (diff >= 0 ? v.value * 10n ** BigInt(diff) : v.value / 10n ** BigInt(-diff)).toString()
    }
    case 'date': return String(v.days)
    case 'time': return (duckTimeNanos(v) / 1000n).toString()
    case 'timestamp': return duckTimeNanos(v).toString()
    case 'string': return String(v)
    case 'binary': return hex(v.bytes)
    case 'uuid': return v.toString().toLowerCase()
    case 'struct': return Object.fromEntries(t.fields.map(([n, ft]) => [n, canonDuck(ft, v.entries[n])]))
    case 'list': return v.items.map((e) => canonDuck(t.elem, e))
    case 'map': return v.entries.map((e) => [canonDuck(t.key, e.key), canonDuck(t.value, e.value)])
  }
  throw new Error(`unknown type ${t.k}`)
}

// hyparquet: values of parquetReadObjects with hyParsers and utf8: false.
// Decimals come back as JS numbers (hyparquet divides the unscaled value by
// 10^scale): they compare as numbers, within 1e-15 relative, see same().
export const hyParsers = {
  timestampFromMilliseconds: (v) => ({ nanos: BigInt(v) * 1000000n }),
  timestampFromMicroseconds: (v) => ({ nanos: BigInt(v) * 1000n }),
  timestampFromNanoseconds: (v) => ({ nanos: BigInt(v) }),
  dateFromDays: (v) => ({ days: v }),
}
export class Approx { constructor(x) { this.x = x } }

export function canonHy(t, v) {
  if (v === null || v === undefined) return null
  switch (t.k) {
    case 'bool': return String(v)
    case 'int': return BigInt(v).toString()
    case 'float': return String(Math.fround(Number(v)))
    case 'double': return String(Number(v))
    case 'decimal': return new Approx(Number(v))
    case 'date': return String(v.days)
    case 'time': return BigInt(v).toString()
    case 'timestamp': return v.nanos.toString()
    case 'string': return typeof v === 'string' ? v : new TextDecoder().decode(v)
    case 'binary': return typeof v === 'string' ? hex(new TextEncoder().encode(v)) : hex(v)
    case 'uuid': return typeof v === 'string' ? v.toLowerCase() : hex(v)
    case 'struct': return Object.fromEntries(t.fields.map(([n, ft]) => [n, canonHy(ft, v[n])]))
    case 'list': return Array.from(v, (e) => canonHy(t.elem, e))
    case 'map': {
      const entries = Array.isArray(v) ? v.map((e) => (Array.isArray(e) ? e : [e.key, e.value])) : Object.entries(v)
      return entries.map(([k, x]) => [canonHy(t.key, typeof k === 'string' && t.key.k === 'int' ? BigInt(k) : k), canonHy(t.value, x)])
    }
  }
  throw new Error(`unknown type ${t.k}`)
}

// The canonical form of the expected value as hyparquet can represent it.
export function toHyForm(t, c) {
  if (c === null) return null
  switch (t.k) {
    case 'decimal': return new Approx(Number(c) / 10 ** t.scale)
    case 'struct': return Object.fromEntries(t.fields.map(([n, ft]) => [n, toHyForm(ft, c[n])]))
    case 'list': return c.map((e) => toHyForm(t.elem, e))
    case 'map': return c.map(([k, x]) => [toHyForm(t.key, k), toHyForm(t.value, x)])
    default: return c
  }
}

export function same(a, b) {
  if (a instanceof Approx || b instanceof Approx) {
    if (!(a instanceof Approx && b instanceof Approx)) return false
    if (a.x === b.x) return true
    return Math.abs(a.x - b.x) <= 1e-15 * Math.max(Math.abs(a.x), Math.abs(b.x))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a), kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => same(a[k], b[k]))
}

export const show = (v) => JSON.stringify(v, (_, x) => (x instanceof Approx ? `~${x.x}` : typeof x === 'bigint' ? String(x) : x))

// ---- counting ----------------------------------------------------------

export const tally = { passed: 0, failed: 0 }
export function report(name, problems) {
  if (problems.length === 0) { tally.passed++; console.log(`  ok   ${name}`); return }
  tally.failed++
  console.log(`  FAIL ${name}`)
  for (const p of problems.slice(0, 5)) console.log(`       ${p}`)
  if (problems.length > 5) console.log(`       ... ${problems.length - 5} more`)
}

// Compares rows (arrays of canonical column values) of `got` with `want`.
export function compareRows(names, want, got) {
  const problems = []
  if (want.length !== got.length) problems.push(`row count ${got.length}, expected ${want.length}`)
  const n = Math.min(want.length, got.length)
  for (let r = 0; r < n && problems.length < 20; r++)
    for (let c = 0; c < names.length; c++)
      if (!same(want[r][c], got[r][c]))
        problems.push(`row ${r} column ${names[c]}: got ${show(got[r][c])}, expected ${show(want[r][c])}`)
  return problems
}
