// strdiff_gen.mjs: differential testing of string-heavy SQL over floe's
// Iceberg tables (where string columns arrive as dictionary vectors) against
// DuckDB, and against a floe built without dictionary vectors.
//
// usage: node tests/interop/strdiff_gen.mjs run --floe BIN [--floe2 BIN]
//            [--n COUNT] [--seed S] [--depth D] [--work DIR]
//            [--sample N:FILE.test]
//        node tests/interop/strdiff_gen.mjs edges --floe BIN --work DIR
//            --out FILE.test
// `run` compares COUNT generated queries between floe (BIN) and DuckDB and,
// with --floe2, between BIN and BIN2 (a build with -DEX_ICE_DICTIONARIES=0,
// or a wrapper passing --threads 1); --sample writes N queries both agree
// on (1..30 rows) as a sqllogictest file (tests/sql/scan/strdiff_sample.test
// is `--n 1500 --seed 60 --sample 100:...`). `edges` writes the
// hand-picked EDGES list (tests/sql/scan/strdiff_edges.test), checking each
// against DuckDB first. The warehouse WORK/wh is made once and reused.
//
// The tables are defined by SQL over a digits cross join, so the same rows
// load into floe (CTAS with small row groups and pages, several row groups
// per file, a second file by INSERT) and into DuckDB (:memory:,
// @duckdb/node-api from tests/interop/node_modules): t (low-cardinality
// column with NULL, '' and multibyte strings; a few-hundred-value column with
// padded numbers; a unique column; '%'/'_'/'\' strings), u (join keys), big
// (a small write.parquet.dict-size-bytes: later row groups PLAIN), bs (long
// shared prefixes past Iceberg's 16-character truncated bounds, U+10FFFF at
// the cut, sorted, three files), ps (partitioned by a string), tl (one row
// group: a dictionary spans chunks and turns unique), w (70,000-entry
// dictionary), ls (strings up to 3,000 characters).
// Queries come from a seeded generator (filters, string functions, CASE,
// TRY_CAST, GROUP BY/HAVING/FILTER/GROUPING SETS, ORDER BY, joins, DISTINCT,
// set operations, windows, IN/EXISTS subqueries); each is rendered for floe
// (Trino dialect) and for DuckDB where the dialects differ (concat -> ||,
// regexp_like -> regexp_matches, regexp_replace all matches, regexp_extract
// and split_part NULL when nothing is found, substr with a negative start
// before the beginning -> ''). floe runs the queries in batches through its
// CLI (--format json, a marker SELECT before each query, restarting after a
// failing one; a crash or sanitizer report is counted). Results compare as
// multisets, or in order when the query's ORDER BY decides the order of
// every row. Differences go to WORK/diffs.json, a summary to stdout.
import { writeFileSync, readFileSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'

const require = createRequire(import.meta.url)
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'))

// ---------------------------------------------------------------- options
const args = process.argv.slice(2)
const mode = args.shift()
const opt = { n: 1000, seed: 1, work: '/tmp/strdiff-work' }
for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1]
opt.n = parseInt(opt.n); opt.seed = parseInt(opt.seed)
// --depth D: expression and predicate nesting (default 2)
const DEPTH = parseInt(opt.depth || '2')

// ---------------------------------------------------------------- data
const DIGITS = '(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))'
const IDS = `(SELECT a.n * 1000 + b.n * 100 + c.n * 10 + d.n + 1 AS id FROM ${DIGITS} a(n), ${DIGITS} b(n), ` +
  `${DIGITS} c(n), ${DIGITS} d(n))`
const T_SELECT = `SELECT id, id % 10 AS g,
  CASE WHEN id % 17 = 0 THEN NULL ELSE (id * 7) % 101 - 50 END AS n,
  CASE (id * 7) % 11 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'Ünïcödé' WHEN 3 THEN '日本' WHEN 4 THEN 'red'
    WHEN 5 THEN 'Red' WHEN 6 THEN 'green' ELSE 'blue' END AS lo,
  CASE WHEN id % 23 = 0 THEN NULL WHEN id % 29 = 0 THEN '' WHEN id % 31 = 0 THEN ' ' || CAST(id % 50 AS varchar) || ' '
    WHEN id % 37 = 0 THEN 'ñ' || CAST(id % 40 AS varchar) WHEN id % 41 = 0 THEN CAST(id % 60 - 30 AS varchar)
    ELSE 'm' || CAST((id * 13) % 300 AS varchar) END AS med,
  'u' || CAST(id AS varchar) || CASE id % 3 WHEN 0 THEN '-x' WHEN 1 THEN '_y' ELSE '%z' END AS uq,
  CASE id % 9 WHEN 0 THEN '50%' WHEN 1 THEN 'a_b' WHEN 2 THEN '100%_off' WHEN 3 THEN '%' WHEN 4 THEN '_'
    WHEN 5 THEN 'é%_ü' WHEN 6 THEN NULL WHEN 7 THEN 'a\\b' ELSE 'plain' || CAST(id % 4 AS varchar) END AS pat
FROM ${IDS} i`
const U_SELECT = `SELECT id AS v,
  CASE WHEN id % 19 = 0 THEN NULL WHEN id % 13 = 0 THEN '' ELSE 'm' || CAST((id * 7) % 350 AS varchar) END AS k,
  CASE id % 5 WHEN 0 THEN 'RED' WHEN 1 THEN 'BLUE' WHEN 2 THEN 'ÜNÏCÖDÉ' WHEN 3 THEN NULL ELSE 'GREEN' END AS lo2
FROM ${IDS} i WHERE id <= 400`
const B_SELECT = `SELECT id, CASE id % 4 WHEN 0 THEN 'c0' WHEN 1 THEN 'c1' WHEN 2 THEN NULL ELSE 'c3' END AS c,
  'long-string-value-number-' || CAST((id * 7) % 3000 AS varchar) || '-padding' AS s,
  CASE WHEN id <= 5000 THEN 'x' || CAST(id % 20 AS varchar) ELSE 'y-unique-' || CAST(id AS varchar) END AS s2
FROM ${IDS} i`
const FLOE_PROPS = {
  t: `"write.parquet.row-group-size-bytes" = '60000', "write.parquet.page-size-bytes" = '4000'`,
  u: `"write.parquet.row-group-size-bytes" = '3000', "write.parquet.page-size-bytes" = '1000'`,
  big: `"write.parquet.row-group-size-bytes" = '120000', "write.parquet.page-size-bytes" = '8000', ` +
    `"write.parquet.dict-size-bytes" = '6000'`,
  bs: `sorted_by = ARRAY['q'], "write.parquet.row-group-size-bytes" = '20000', "write.parquet.page-size-bytes" = '3000'`,
}
// bs: long strings sharing a prefix longer than Iceberg's 16-character
// truncated bounds (p: multibyte and U+10FFFF right at the cut), sorted,
// three data files; ps: t partitioned by a string and sorted by another
const BS_SELECT = `SELECT id,
  'aaaaaaaaaaaaaaa' || CASE id % 6 WHEN 0 THEN 'é' WHEN 1 THEN '日本' WHEN 2 THEN 'z' WHEN 3 THEN '' WHEN 4 THEN 'zzzz'
    ELSE '\u{10FFFF}' END || CAST(id % 50 AS varchar) AS p,
  'long-string-value-number-' || CAST(id % 700 AS varchar) AS q
FROM ${IDS} i`
const TABLES = { t: T_SELECT + ' WHERE id <= 6000', u: U_SELECT, big: B_SELECT, bs: BS_SELECT + ' WHERE id <= 3000' }
// t gets a second data file (its own dictionaries); floe has no DELETE yet
const AFTER = [`INSERT INTO t SELECT * FROM (${T_SELECT}) x WHERE id > 6000 AND id <= 7500`,
  `INSERT INTO bs SELECT * FROM (${BS_SELECT}) x WHERE id > 3000 AND id <= 6500`,
  `INSERT INTO bs SELECT * FROM (${BS_SELECT}) x WHERE id > 6500`]
const PS = 'CREATE TABLE ps WITH (partitioning = ARRAY[\'lo\'], sorted_by = ARRAY[\'med\'], ' +
  `"write.parquet.row-group-size-bytes" = '8000', "write.parquet.page-size-bytes" = '2000') AS SELECT * FROM t`
export const floeSetup = () => ['CREATE SCHEMA sd', 'USE sd',
  ...Object.entries(TABLES).map(([n, s]) => `CREATE TABLE ${n} WITH (${FLOE_PROPS[n]}) AS\n${s}`), ...AFTER, PS, TL,
  `CREATE TABLE w AS ${W_SELECT}`, `CREATE TABLE ls WITH ("write.parquet.row-group-size-bytes" = '300000') AS ${LS_SELECT}`]
// tl: one row group per file, so a dictionary spans several chunks; mx is
// repetitive in the first chunk and nearly unique later (the per-entry
// cache gives up mid-dictionary)
const TL_SELECT = `SELECT *, CASE WHEN id <= 2500 THEN 'a' || CAST(id % 3 AS varchar) WHEN id % 2 = 0 THEN 'b' || CAST(id AS varchar)
  ELSE 'c' || CAST(id % 7 AS varchar) END AS mx FROM (${T_SELECT}) x WHERE id <= 7000`
const TL = `CREATE TABLE tl WITH (sorted_by = ARRAY['id'], "write.parquet.page-size-bytes" = '5000') AS ${TL_SELECT}`
// w: 140,000 rows, a 70,000-entry dictionary (hash_agg groups by rows
// past 65,536 entries) and a 40,000-entry one with NULLs; ls: strings of
// 0..3,000 characters in dictionaries
const D5 = `(SELECT a.n * 10000 + b.n * 1000 + c.n * 100 + d.n * 10 + e.n + 1 + f.n * 100000 AS id FROM ${DIGITS} a(n), ` +
  `${DIGITS} b(n), ${DIGITS} c(n), ${DIGITS} d(n), ${DIGITS} e(n), (VALUES (0), (1)) f(n))`
const W_SELECT = `SELECT id, 'k' || CAST(id % 70000 AS varchar) AS ws,
  CASE WHEN id % 3 = 0 THEN NULL ELSE 'v' || CAST(id % 40000 AS varchar) END AS ws3 FROM ${D5} x WHERE id <= 140000`
const LS_SELECT = `SELECT id, CASE WHEN id % 11 = 0 THEN NULL ELSE lpad(CAST(id % 37 AS varchar), (id % 37) * 80, 'ab') END AS ll,
  CASE id % 4 WHEN 0 THEN lpad('', 2000, 'é') WHEN 1 THEN lpad('', 2001, 'é') WHEN 2 THEN '' ELSE 'short' END AS l4
  FROM ${IDS} x WHERE id <= 3000`
const EXTRA = { w: W_SELECT, ls: LS_SELECT }
const duckSetup = () => [...Object.entries(TABLES).map(([n, s]) => `CREATE TABLE ${n} AS ${s}`), ...AFTER,
  'CREATE TABLE ps AS SELECT * FROM t', `CREATE TABLE tl AS ${TL_SELECT}`,
  ...Object.entries(EXTRA).map(([n, s]) => `CREATE TABLE ${n} AS ${s}`)]

// ---------------------------------------------------------------- generator
let seed = 1
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n }
const pick = (a) => a[rnd(a.length)]
const chance = (p) => rnd(1000) < p * 1000
const q = (s) => `'${s.replace(/'/g, "''")}'`

const STR_LITS = ['', 'red', 'Red', 'RED', 'blue', 'green', 'Ünïcödé', '日本', 'm1', 'm10', 'm150', 'm299', 'm5',
  'ñ3', ' 7 ', '7', '-3', '12', 'u100_y', 'u42-x', '50%', 'a_b', '%', '_', 'é%_ü', 'a\\b', 'plain1', 'zzz', 'b', 'm',
  'long-string-value-number-10-padding', 'x3', 'y-unique-6000', 'c1',
  'aaaaaaaaaaaaaaaé1', 'aaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaz', 'aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaab', 'aaaaaaaaaaaaaaa\u{10FFFF}4',
  'aaaaaaaaaaaaaaa\u{10FFFF}', 'aaaaaaaaaaaaaaa日本', 'long-string-value-number-5', 'long-string-value-number-699',
  'long-string-valu', 'long-string-valv', 'long-string-value-number-', 'a1', 'b3000', 'c5', 'b', 'k69999', 'k7', 'v39999', 'v1', 'short', 'ab']
const LIKE_PATS = ['%', '_', 'r%', '%e%', 'R%', '%d', 'm1%', 'm_', 'm__', '%9', '', 'Ü%', '%本', '日%', '_本', 'u1%y',
  '%\\%%', '%\\_%', 'aaaaaaaaaaaaaaa_%', 'long-string-value-number-1%', '%日本1%', 'aaaaaaaaaaaaaaa\u{10FFFF}%', 'a\\_b', '50\\%', '%ü', 'é%', 'plain_', '% %', '__', '%x', 'long%-1_-%', 'x1_', 'y-%0', 'a\\\\b']
const REGEXES = ['^m1', 'e$', '[0-9]{3}', '^$', 'ü', '^[a-z]+$', 'd|e', '本', '^ ', '%', 'a.b', '^u[0-9]*5_']
const COLS = { t: ['lo', 'med', 'uq', 'pat'], u: ['k', 'lo2'], big: ['s', 's2', 'c'], bs: ['p', 'q'], ps: ['lo', 'med', 'uq', 'pat'], tl: ['lo', 'med', 'uq', 'pat', 'mx'], w: ['ws', 'ws3'], ls: ['ll', 'l4'] }
const ICOLS = { t: ['id', 'g', 'n'], u: ['v'], big: ['id'], bs: ['id'], ps: ['id', 'g', 'n'], tl: ['id', 'g', 'n'], w: ['id'], ls: ['id'] }

// expressions are [floeSql, duckSql] pairs
const both = (s) => [s, s]
const fn = (name, duckName, ...xs) => [`${name}(${xs.map((x) => x[0]).join(', ')})`,
  `${duckName}(${xs.map((x) => x[1]).join(', ')})`]
// f may draw random numbers: both renderings see the same draws
const wrap = (f, ...xs) => {
  const s0 = seed; const a = f(...xs.map((x) => x[0])); seed = s0
  return [a, f(...xs.map((x) => x[1]))]
}
let TB = 't'
const strLit = () => both(q(pick(STR_LITS)))
function strExpr(d) {
  if (d <= 0 || chance(0.45)) return both(pick(COLS[TB]))
  const x = () => strExpr(d - 1)
  switch (rnd(20)) {
    case 0: return fn('upper', 'upper', x())
    case 1: return fn('lower', 'lower', x())
    case 2: { if (chance(0.5)) return fn('substr', 'substr', x(), both(String(1 + rnd(4))))
      // Trino: a negative start before the beginning gives '' (DuckDB: the overlap)
      const a = x(); const st = pick([1, 2, 3, -1, -2, -4]); const ln = rnd(5)
      return [`substr(${a[0]}, ${st}, ${ln})`, st > 0 ? `substr(${a[1]}, ${st}, ${ln})`
        : `CASE WHEN length(${a[1]}) + ${st} < 0 THEN '' ELSE substr(${a[1]}, ${st}, ${ln}) END`] }
    case 3: return fn('trim', 'trim', x())
    case 4: return fn('replace', 'replace', x(), both(q(pick(['m', 'e', '%', '_', 'ü', '1', ' ']))),
      both(q(pick(['', 'X', 'ßß', '__']))))
    case 5: { const a = x(); const b = chance(0.5) ? strLit() : x(); return [`concat(${a[0]}, ${b[0]})`, `(${a[1]} || ${b[1]})`] }
    case 6: return wrap((a, b) => `(${a} || ${b})`, x(), chance(0.5) ? strLit() : x())
    case 7: return fn('lpad', 'lpad', x(), both(String(rnd(8))), both(q(pick(['*', 'ab', 'é']))))
    case 8: return fn('coalesce', 'coalesce', x(), chance(0.5) ? strLit() : x())
    case 9: return fn('nullif', 'nullif', x(), strLit())
    case 10: { const c = pred(d - 1); const a = x(); const b = chance(0.3) ? both('NULL') : chance(0.5) ? strLit() : x()
      return [`CASE WHEN ${c[0]} THEN ${a[0]} ELSE ${b[0]} END`, `CASE WHEN ${c[1]} THEN ${a[1]} ELSE ${b[1]} END`] }
    case 11: { const a = x(); const dl = q(pick(['-', '_', 'm', '%', ' ', 'e'])); const k = 1 + rnd(3)
      return [`split_part(${a[0]}, ${dl}, ${k})`,
        `CASE WHEN len(string_split(${a[1]}, ${dl})) >= ${k} THEN split_part(${a[1]}, ${dl}, ${k}) END`] }
    case 12: { const a = x(); const ws = pick(['red', 'blue', 'm1', 'm2']); const ca = both(q(ws))
      return [`CASE ${a[0]} WHEN ${ca[0]} THEN 'W1' WHEN '' THEN 'EMPTY' ELSE ${a[0]} END`,
        `CASE ${a[1]} WHEN ${ca[1]} THEN 'W1' WHEN '' THEN 'EMPTY' ELSE ${a[1]} END`] }
    case 13: return fn('rtrim', 'rtrim', fn('ltrim', 'ltrim', x()))
    case 14: return fn('reverse', 'reverse', x())
    case 15: { const lr = pick(['left', 'right']); return fn(lr, lr, x(), both(String(rnd(4)))) }
    case 16: return fn('rpad', 'rpad', x(), both(String(rnd(8))), both(q(pick(['.', 'xy', 'ü']))))
    case 17: return fn('concat_ws', 'concat_ws', both(q(pick(['-', '', '|']))), x(), chance(0.5) ? strLit() : x())
    case 18: { const a = x(); const r = q(pick(['[aeiou]', 'm([0-9])', '^.', '[%_]', '(.)(.)', '本'])); const w = q(pick(r.includes('(') ? ['', '#', '<$1>'] : ['', '#']))
      return [`regexp_replace(${a[0]}, ${r}, ${w})`, `regexp_replace(${a[1]}, ${r}, ${w.replace(/\$1/g, '\\1')}, 'g')`] }
    default: { const a = x(); const r = q(pick(['[0-9]+', '^[a-z]', '.$', 'e.', '[^a-z]+']))
      return [`regexp_extract(${a[0]}, ${r})`, `CASE WHEN regexp_matches(${a[1]}, ${r}) THEN regexp_extract(${a[1]}, ${r}) END`] }
  }
}
function intExpr(d) {
  switch (rnd(7)) {
    case 0: case 1: return both(pick(ICOLS[TB]))
    case 2: return fn('length', 'length', strExpr(d - 1))
    case 3: return fn('strpos', 'strpos', strExpr(d - 1), both(q(pick(['m', '1', 'e', '%', '本', '_', 'x']))))
    case 4: return wrap((a) => `TRY_CAST(${a} AS integer)`, strExpr(d - 1))
    case 5: return wrap((a) => `coalesce(TRY_CAST(trim(${a}) AS integer), -1)`, strExpr(d - 1))
    default: return wrap((a) => `(${a} % 7)`, both(pick(ICOLS[TB])))
  }
}
function pred(d) {
  if (d > 0 && chance(0.3)) {
    const a = pred(d - 1); const b = pred(d - 1)
    switch (rnd(3)) {
      case 0: return wrap((x, y) => `(${x} AND ${y})`, a, b)
      case 1: return wrap((x, y) => `(${x} OR ${y})`, a, b)
      default: return wrap((x) => `NOT (${x})`, a)
    }
  }
  const s = () => strExpr(d - 1 + (chance(0.4) ? 1 : 0))
  switch (rnd(15)) {
    case 0: case 1: return wrap((a, b) => `${a} ${pick(['=', '<>', '<', '>', '<=', '>=', '!='])} ${b}`, s(), strLit())
    case 2: { const l = strLit(); const h = strLit(); return wrap((a) => `${a} ${chance(0.2) ? 'NOT ' : ''}BETWEEN ${l[0]} AND ${h[0]}`, s()) }
    case 3: { const n = 1 + rnd(5); const lits = []; for (let i = 0; i < n; i++) lits.push(chance(0.1) ? 'NULL' : q(pick(STR_LITS)))
      return wrap((a) => `${a} ${chance(0.3) ? 'NOT ' : ''}IN (${lits.join(', ')})`, s()) }
    case 4: case 5: { const p = pick(LIKE_PATS); const esc = p.includes('\\') ? ` ESCAPE '\\'` : ''
      const op = pick(['LIKE', 'LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE'])
      return wrap((a) => `${a} ${op} ${q(p)}${esc}`, s()) }
    case 6: return wrap((a) => `${a} IS ${chance(0.5) ? 'NOT ' : ''}NULL`, s())
    case 7: { const r = q(pick(REGEXES)); const a = s(); return [`regexp_like(${a[0]}, ${r})`, `regexp_matches(${a[1]}, ${r})`] }
    case 8: return wrap((a) => `${a} ${pick(['=', '<', '>', '<>'])} ${rnd(60) - 10}`, intExpr(d))
    case 9: return wrap((a, b) => `${a} ${pick(['=', '<>', '<', '>'])} ${b}`, s(), s())
    case 10: return wrap((a, b) => `${a} ${pick(['=', '<>', '<', '>'])} ${b}`, both(pick(COLS[TB])), both(pick(COLS[TB])))
    case 11: return wrap((a) => `${a} BETWEEN ${rnd(3000)} AND ${rnd(7000)}`, both(pick(ICOLS[TB])))
    case 12: return wrap((a) => `starts_with(${a}, ${q(pick(['m', 'u1', 'r', 'Ü', '', 'long-string-value-number-2', 'x']))})`, s())
    default: return wrap((a, b) => `${a} ${pick(['=', '<>'])} ${b}`, s(), strLit())
  }
}

// a query: { f: floeSql, d: duckSql, ordered: bool }
function genQuery() {
  TB = chance(0.04) ? 'w' : chance(0.06) ? 'ls' : chance(0.12) ? 'big' : chance(0.08) ? 'u' : chance(0.15) ? 'bs' : chance(0.2) ? 'ps' : chance(0.3) ? 'tl' : 't'
  const shape = rnd(17)
  const where = () => chance(0.8) ? pred(DEPTH) : both('true')
  const sel = (items) => [items.map((x, i) => `${x[0]} AS c${i}`).join(', '), items.map((x, i) => `${x[1]} AS c${i}`).join(', ')]
  const idc = pick(ICOLS[TB]) === 'v' ? 'v' : TB === 'u' ? 'v' : 'id'
  const mk = (f, d, ordered = false) => ({ f, d, ordered })
  switch (shape) {
    case 0: { const w = where(); return mk(`SELECT count(*) AS c0 FROM ${TB} WHERE ${w[0]}`, `SELECT count(*) AS c0 FROM ${TB} WHERE ${w[1]}`) }
    case 1: case 2: { const w = where(); const its = [both(idc), strExpr(DEPTH)]; if (chance(0.5)) its.push(strExpr(DEPTH))
      if (chance(0.4)) its.push(intExpr(2)); if (chance(0.3)) its.push(pred(1))
      const [sf, sd] = sel(its)
      return mk(`SELECT ${sf} FROM ${TB} WHERE ${w[0]}`, `SELECT ${sd} FROM ${TB} WHERE ${w[1]}`) }
    case 3: case 4: { // GROUP BY a string column or expression
      const k = chance(0.5) ? both(pick(COLS[TB])) : strExpr(1)
      const w = where(); const s2 = both(pick(COLS[TB]))
      const aggs = [both('count(*)'), wrap((x) => `count(${x})`, s2), wrap((x) => `min(${x})`, strExpr(1)),
        wrap((x) => `max(${x})`, s2), wrap((x) => `count(DISTINCT ${x})`, strExpr(1)), both(`sum(${pick(ICOLS[TB])})`)]
      const its = [k, ...aggs.filter(() => chance(0.6))]
      const [sf, sd] = sel(its)
      const hav = chance(0.3) ? ` HAVING count(*) > ${rnd(200)}` : chance(0.15) ? ` HAVING max(${s2[0]}) > 'm'` : ''
      return mk(`SELECT ${sf} FROM ${TB} WHERE ${w[0]} GROUP BY ${k[0]}${hav}`,
        `SELECT ${sd} FROM ${TB} WHERE ${w[1]} GROUP BY ${k[1]}${hav}`) }
    case 5: { // ORDER BY strings, total with the unique id last
      const w = where(); const e = strExpr(DEPTH); const dir = pick(['ASC', 'DESC']); const nl = pick(['NULLS FIRST', 'NULLS LAST'])
      const lim = 1 + rnd(40); const off = chance(0.3) ? ` OFFSET ${rnd(30)}` : ''
      return mk(`SELECT ${idc} AS c0, ${e[0]} AS c1 FROM ${TB} WHERE ${w[0]} ORDER BY c1 ${dir} ${nl}, c0 LIMIT ${lim}${off}`,
        `SELECT ${idc} AS c0, ${e[1]} AS c1 FROM ${TB} WHERE ${w[1]} ORDER BY c1 ${dir} ${nl}, c0 LIMIT ${lim}${off}`, true) }
    case 6: { // joins on string keys
      TB = 't'
      const w = pred(1); const jt = pick(['JOIN', 'LEFT JOIN', 'JOIN', 'RIGHT JOIN', 'FULL JOIN'])
      const on = pick([['t.med = u.k', 't.med = u.k'], ['upper(t.lo) = u.lo2', 'upper(t.lo) = u.lo2'],
        ['t.med = u.k AND t.lo = lower(u.lo2)', 't.med = u.k AND t.lo = lower(u.lo2)'], ['t.lo = lower(u.lo2)', 't.lo = lower(u.lo2)']])
      // qualify t's columns outside string literals
      const qual = (x) => x.split(/('(?:[^']|'')*')/).map((part, i) => i % 2 ? part : part.replace(/\b(lo|med|uq|pat|id|g|n)\b/g, 't.$1')).join('')
      const wf = qual(w[0]); const wd = qual(w[1])
      // lo keys match thousands of rows per key: those joins aggregate
      const agg = chance(0.5) || on[0].includes('lo2')
      const pf = agg ? 'count(*) AS c0, count(u.v) AS c1, count(t.id) AS c2, min(t.med) AS c3, max(u.lo2) AS c4' : 't.id AS c0, u.v AS c1, t.med AS c2, u.k AS c3, u.lo2 AS c4'
      const gb = agg && chance(0.5) ? ' GROUP BY u.lo2' : ''
      const wc = jt.includes('RIGHT') || jt.includes('FULL') ? '' : ` WHERE ${wf}`; const wcd = wc ? ` WHERE ${wd}` : ''
      return mk(`SELECT ${pf} FROM t ${jt} u ON ${on[0]}${wc}${gb}`, `SELECT ${pf} FROM t ${jt} u ON ${on[1]}${wcd}${gb}`) }
    case 7: { const w = where(); const e = strExpr(DEPTH)
      return mk(`SELECT DISTINCT ${e[0]} AS c0 FROM ${TB} WHERE ${w[0]}`, `SELECT DISTINCT ${e[1]} AS c0 FROM ${TB} WHERE ${w[1]}`) }
    case 8: { const op = pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'])
      const a = strExpr(DEPTH); const b = strExpr(DEPTH); const w1 = where(); const w2 = where()
      return mk(`SELECT ${a[0]} AS c0 FROM ${TB} WHERE ${w1[0]} ${op} SELECT ${b[0]} FROM ${TB} WHERE ${w2[0]}`,
        `SELECT ${a[1]} AS c0 FROM ${TB} WHERE ${w1[1]} ${op} SELECT ${b[1]} FROM ${TB} WHERE ${w2[1]}`) }
    case 9: { // windows partitioned by strings
      const p = chance(0.6) ? both(pick(COLS[TB])) : strExpr(1); const w = where(); const s2 = both(pick(COLS[TB]))
      const fns = [[`row_number() OVER (PARTITION BY ${p[0]} ORDER BY ${idc})`, `row_number() OVER (PARTITION BY ${p[1]} ORDER BY ${idc})`],
        [`count(*) OVER (PARTITION BY ${p[0]})`, `count(*) OVER (PARTITION BY ${p[1]})`],
        [`min(${s2[0]}) OVER (PARTITION BY ${p[0]})`, `min(${s2[1]}) OVER (PARTITION BY ${p[1]})`],
        [`lag(${s2[0]}) OVER (PARTITION BY ${p[0]} ORDER BY ${idc})`, `lag(${s2[1]}) OVER (PARTITION BY ${p[1]} ORDER BY ${idc})`],
        [`dense_rank() OVER (ORDER BY ${p[0]} NULLS FIRST)`, `dense_rank() OVER (ORDER BY ${p[1]} NULLS FIRST)`],
        [`max(${s2[0]}) OVER (PARTITION BY ${p[0]} ORDER BY ${idc} ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)`,
          `max(${s2[1]}) OVER (PARTITION BY ${p[1]} ORDER BY ${idc} ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)`]]
      const its = [both(idc), p, ...fns.filter(() => chance(0.5))]
      const [sf, sd] = sel(its)
      return mk(`SELECT ${sf} FROM ${TB} WHERE ${w[0]}`, `SELECT ${sd} FROM ${TB} WHERE ${w[1]}`) }
    case 10: { // IN / EXISTS subqueries
      TB = 't'; const w = where(); const e = strExpr(1)
      const kind = rnd(4)
      const ins = kind === 0 ? [`${e[0]} IN (SELECT k FROM u WHERE v % ${2 + rnd(5)} = 0)`, `${e[1]} IN (SELECT k FROM u WHERE v % ${0} = 0)`]
        : kind === 1 ? [`${e[0]} NOT IN (SELECT lower(lo2) FROM u WHERE lo2 IS NOT NULL)`, `${e[1]} NOT IN (SELECT lower(lo2) FROM u WHERE lo2 IS NOT NULL)`]
        : kind === 2 ? [`EXISTS (SELECT 1 FROM u WHERE u.k = ${e[0]} AND u.v > ${rnd(300)})`, `EXISTS (SELECT 1 FROM u WHERE u.k = ${e[1]} AND u.v > ${rnd(300)})`]
        : [`NOT EXISTS (SELECT 1 FROM u WHERE upper(t.lo) = u.lo2)`, `NOT EXISTS (SELECT 1 FROM u WHERE upper(t.lo) = u.lo2)`]
      if (kind === 0) { const m = 2 + rnd(5); ins[0] = `${e[0]} IN (SELECT k FROM u WHERE v % ${m} = 0)`; ins[1] = `${e[1]} IN (SELECT k FROM u WHERE v % ${m} = 0)` }
      if (kind === 2) { const m = rnd(300); ins[0] = ins[0].replace(/> \d+\)$/, `> ${m})`); ins[1] = ins[1].replace(/> \d+\)$/, `> ${m})`) }
      const agg = chance(0.5)
      const pf = agg ? 'count(*) AS c0, count(DISTINCT med) AS c1, min(uq) AS c2' : 'id AS c0, lo AS c1, med AS c2'
      return mk(`SELECT ${pf} FROM t WHERE ${ins[0]} AND ${w[0]}`, `SELECT ${pf} FROM t WHERE ${ins[1]} AND ${w[1]}`) }
    case 11: { // aggregates of expressions without grouping
      const w = where(); const e = strExpr(DEPTH)
      const its = [wrap((x) => `count(${x})`, e), wrap((x) => `min(${x})`, e), wrap((x) => `max(${x})`, e),
        wrap((x) => `count(DISTINCT ${x})`, e), wrap((x) => `sum(length(${x}))`, e)]
      const [sf, sd] = sel(its)
      return mk(`SELECT ${sf} FROM ${TB} WHERE ${w[0]}`, `SELECT ${sd} FROM ${TB} WHERE ${w[1]}`) }
    case 13: case 14: { // GROUP BY one column with FILTER, count_if, bool_or, aggregates of the key itself
      const k = both(pick(COLS[TB])); const w = where(); const p1 = pred(1); const p2 = pred(1); const e = strExpr(1)
      const its = [k, both('count(*)'), wrap((x) => `count(*) FILTER (WHERE ${x})`, p1), wrap((x) => `count(CASE WHEN ${x} THEN 1 END)`, p2),
        wrap((x) => `bool_or(${x})`, p1), wrap((x) => `bool_and(${x})`, p2), wrap((x) => `min(${x})`, e),
        wrap((x) => `max(${x}) FILTER (WHERE ${k[0]} IS NOT NULL)`, e), both(`count(DISTINCT ${k[0]})`),
        both(`min(${k[0]})`), wrap((x, y) => `count(DISTINCT ${x}) FILTER (WHERE ${y})`, e, p2),
        both(`sum(length(${k[0]}))`)].filter((x, i) => i < 2 || chance(0.4))
      its[0] = k
      const [sf, sd] = sel(its)
      const hav = chance(0.3) ? [` HAVING ${p1[0].replace(/\b(lo|med|uq|pat|k|lo2|s|s2|c)\b/g, 'min($1)')} OR count(*) < 50`,
        ` HAVING ${p1[1].replace(/\b(lo|med|uq|pat|k|lo2|s|s2|c)\b/g, 'min($1)')} OR count(*) < 50`] : ['', '']
      return mk(`SELECT ${sf} FROM ${TB} WHERE ${w[0]} GROUP BY ${k[0]}${hav[0]}`, `SELECT ${sd} FROM ${TB} WHERE ${w[1]} GROUP BY ${k[1]}${hav[1]}`) }
    case 15: { // ROLLUP / GROUPING SETS over string keys
      const k1 = both(pick(COLS[TB])); const k2 = chance(0.5) ? both(pick(COLS[TB])) : strExpr(1); const w = where()
      const g = pick(['ROLLUP (1, 2)', 'CUBE (1, 2)', 'GROUPING SETS ((1), (2), ())', 'GROUPING SETS ((1, 2), (1))'])
      const gs = g.replace(/\b1\b/g, '__K1').replace(/\b2\b/g, '__K2')
      const gf = gs.replace(/__K1/g, k1[0]).replace(/__K2/g, k2[0]); const gd = gs.replace(/__K1/g, k1[1]).replace(/__K2/g, k2[1])
      return mk(`SELECT ${k1[0]} AS c0, ${k2[0]} AS c1, count(*) AS c2, min(${k1[0]}) AS c3, grouping(${k1[0]}) AS c4 FROM ${TB} WHERE ${w[0]} GROUP BY ${gf}`,
        `SELECT ${k1[1]} AS c0, ${k2[1]} AS c1, count(*) AS c2, min(${k1[1]}) AS c3, grouping(${k1[1]}) AS c4 FROM ${TB} WHERE ${w[1]} GROUP BY ${gd}`) }
    default: { // GROUP BY two keys, ORDER BY them
      const k1 = both(pick(COLS[TB])); const k2 = chance(0.5) ? both(pick(COLS[TB])) : wrap((x) => `length(${x})`, strExpr(1))
      const w = where()
      return mk(`SELECT ${k1[0]} AS c0, ${k2[0]} AS c1, count(*) AS c2 FROM ${TB} WHERE ${w[0]} GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2 NULLS LAST`,
        `SELECT ${k1[1]} AS c0, ${k2[1]} AS c1, count(*) AS c2 FROM ${TB} WHERE ${w[1]} GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2 NULLS LAST`, true) }
  }
}

// ---------------------------------------------------------------- values
const norm = (v) => {
  if (v === null || v === undefined) return '\\N'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') return String(v)
  if (typeof v === 'string') return JSON.stringify(v)
  return JSON.stringify(v.toString())
}
const rowKey = (r) => r.join('|')
// a result kept small: its row count, a digest of its rows in order and as
// a multiset, and the first rows
function digest(rows) {
  const keys = rows.map(rowKey)
  const h = (xs) => createHash('sha1').update(xs.join('\n')).digest('hex')
  return { n: rows.length, ord: h(keys), set: h([...keys].sort()), rows: rows.slice(0, 30) }
}
function sameResult(a, b, ordered) {
  if (a.error || b.error) return Boolean(a.error) === Boolean(b.error)
  return a.n === b.n && (ordered ? a.ord === b.ord : a.set === b.set)
}

// sqllogictest text (DuckDB's style: NULL, (empty)) and type letters
const slt = (v) => v === null || v === undefined ? 'NULL' : typeof v === 'boolean' ? (v ? 'true' : 'false')
  : v === '' ? '(empty)' : String(v)
function textRows(raw) {
  const ncol = raw.length ? raw[0].length : 0
  const types = []
  for (let c = 0; c < ncol; c++) {
    const v = raw.map((r) => r[c]).find((x) => x !== null && x !== undefined)
    types.push(typeof v === 'boolean' ? 'B' : typeof v === 'number' || typeof v === 'bigint' ? 'I' : 'T')
  }
  return { types: types.join(''), lines: raw.map((r) => r.map(slt).join('\t')) }
}
export function sltRecord(sql, text, ordered) {
  return `query ${text.types}${ordered ? '' : ' rowsort'}\n${sql}\n----\n${text.lines.join('\n')}\n`
}
export function sltHeader(what) {
  return `# ${what}\n# GENERATED by tests/interop/strdiff_gen.mjs (DuckDB's answers, which floe\n` +
    `# matched; floe's Iceberg scan reads the string columns as dictionary vectors).\n\n` +
    floeSetup().map((x) => `statement ok\n${x}\n`).join('\n') + '\n'
}
// SPEC "N:FILE": N agreeing queries with 1..30 rows, spread over the run
function writeTests(queries, fl, duck, spec) {
  const [n, file] = [parseInt(spec), spec.slice(spec.indexOf(':') + 1)]
  const ok = []
  for (let i = 0; i < queries.length; i++) {
    const d = duck[i]
    if (!d.error && !fl[i].error && d.text && d.n >= 1 && d.text.types.length && sameResult(fl[i], d, queries[i].ordered)) ok.push(i)
  }
  const step = Math.max(1, ok.length / n)
  let out = sltHeader('Differential string queries over dictionary-encoded Iceberg columns (floe = DuckDB).')
  for (let k = 0; k < n && Math.floor(k * step) < ok.length; k++) {
    const i = ok[Math.floor(k * step)]
    out += sltRecord(queries[i].f, duck[i].text, queries[i].ordered) + '\n'
  }
  writeFileSync(file, out)
}

// ---------------------------------------------------------------- engines
async function duckRun(con, sql) {
  try {
    const r = await con.runAndReadAll(sql)
    const raw = r.getRows()
    const d = digest(raw.map((row) => row.map(norm)))
    if (raw.length <= 30) d.text = textRows(raw)
    return d
  } catch (e) { return { error: String(e.message || e).split('\n')[0] } }
}
// floe: batches of queries through the CLI, a marker before each query
function floeRun(bin, wh, sqls, batchDir) {
  const out = new Array(sqls.length)
  let start = 0
  while (start < sqls.length) {
    const end = Math.min(sqls.length, start + 200)
    let text = 'USE sd;\n'
    for (let i = start; i < end; i++) text += `SELECT '@@Q${i}' AS m;\n${sqls[i]};\n`
    const file = join(batchDir, 'batch.sql')
    writeFileSync(file, text)
    const r = spawnSync(bin, ['--warehouse', wh, '--format', 'json', '-f', file],
      { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } })
    const stdout = r.stdout || ''
    let cur = -1; let acc = ''
    const flush = () => {
      if (cur < 0 || acc === '') return
      out[cur] = digest(JSON.parse(acc).map((o) => Object.values(o).map(norm))); acc = ''
    }
    for (const line of stdout.split('\n')) {
      const m = /^\[\{"m":"@@Q(\d+)"\}\]$/.exec(line)
      if (m) { flush(); cur = parseInt(m[1]); continue }
      if (cur >= 0) acc += line + '\n'
    }
    try { flush() } catch { out[cur] = undefined }
    if (r.status === 0) { start = end; continue }
    // the last marker's query failed (or crashed)
    const failed = cur < start ? start : cur
    const crash = r.signal || (r.status !== 1) || /AddressSanitizer|runtime error|LeakSanitizer/.test(r.stderr || '')
    out[failed] = { error: (crash ? `CRASH(${r.signal || r.status}) ` : '') + (r.stderr || '').split('\n').filter((l) => l).slice(0, crash ? 30 : 1).join('\n') }
    start = failed + 1
  }
  for (let i = 0; i < sqls.length; i++) if (!out[i]) out[i] = digest([])
  return out
}

async function main() {
  seed = opt.seed
  const queries = []
  for (let i = 0; i < opt.n; i++) queries.push(genQuery())
  const work = opt.work
  mkdirSync(work, { recursive: true })
  const wh = opt.wh || join(work, 'wh')
  if (!existsSync(join(wh, 'done'))) {
    rmSync(wh, { recursive: true, force: true })
    const r = spawnSync(opt.floe, ['--warehouse', wh, '-c', floeSetup().join(';\n')], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error('floe setup failed: ' + r.stderr)
    writeFileSync(join(wh, 'done'), '')
  }
  const con = await (await DuckDBInstance.create(':memory:')).connect()
  for (const s of duckSetup()) await con.run(s)
  const duck = []
  for (const qq of queries) duck.push(await duckRun(con, qq.d))
  const fl = floeRun(opt.floe, wh, queries.map((x) => x.f), work)
  const fl2 = opt.floe2 ? floeRun(opt.floe2, wh, queries.map((x) => x.f), work) : null
  const diffs = []; let agree = 0, bothErr = 0, floeErr = 0, duckErr = 0, dictDiff = 0, crashes = 0
  for (let i = 0; i < queries.length; i++) {
    const a = fl[i]; const b = duck[i]
    if (a.error && a.error.startsWith('CRASH')) crashes++
    if (fl2 && !sameResult(a, fl2[i], queries[i].ordered)) {
      dictDiff++; diffs.push({ i, kind: 'dict', f: queries[i].f, floe: a, nodict: fl2[i] })
    }
    if (a.error && b.error) { bothErr++; continue }
    if (sameResult(a, b, queries[i].ordered)) { agree++; continue }
    if (a.error) floeErr++; else if (b.error) duckErr++
    diffs.push({ i, kind: a.error ? 'floe-error' : b.error ? 'duck-error' : 'result', f: queries[i].f, d: queries[i].d,
      floe: a, duck: b })
  }
  writeFileSync(join(work, 'diffs.json'), JSON.stringify(diffs, null, 1))
  writeFileSync(join(work, 'results.json'), JSON.stringify(queries.map((qq, i) => ({ ...qq, floe: fl[i], duck: duck[i] }))))
  if (opt.sample) writeTests(queries, fl, duck, opt.sample)
  console.log(`strdiff: ${queries.length} queries, ${agree} agree, ${diffs.filter((d) => d.kind === 'result').length} differ, ` +
    `${floeErr} floe-only errors, ${duckErr} duckdb-only errors, ${bothErr} both error, ${dictDiff} dict vs nodict differ, ${crashes} crashes`)
}

// hand-picked dictionary edge cases: [floe SQL, DuckDB SQL or null (same), ordered]
const U = '\u{10FFFF}'
const EDGES = [
  ['SELECT lo, upper(lo), count(*) FROM t GROUP BY GROUPING SETS ((lo), (upper(lo)))'],
  ['SELECT lo, count(*) FROM t GROUP BY GROUPING SETS ((lo), (lo))'],
  ['SELECT lo, count(*), grouping(lo) FROM tl GROUP BY CUBE (lo, lo)'],
  ['SELECT substr(med, 1, 2), med, count(*) FROM tl WHERE med LIKE \'m1%\' GROUP BY GROUPING SETS ((substr(med, 1, 2)), (med)) ' +
    'ORDER BY 1 NULLS LAST, 2 NULLS LAST LIMIT 6', null, true],
  ['SELECT substr(mx, 1, 1), count(*), count(DISTINCT mx), min(mx), max(mx) FROM tl GROUP BY 1'],
  ['SELECT mx, count(*) FROM tl WHERE mx < \'b1\' GROUP BY mx'],
  ['SELECT mx, count(*), min(id) FROM tl WHERE mx LIKE \'c%\' OR mx = \'a1\' GROUP BY mx'],
  ['SELECT count(*), count(DISTINCT upper(mx)), max(upper(mx)) FROM tl WHERE upper(mx) LIKE \'B%\' AND length(mx) = 5'],
  ['SELECT upper(mx) AS k, count(*) FROM tl WHERE id % 100 = 3 GROUP BY 1 ORDER BY 1 LIMIT 5', null, true],
  ['SELECT count(DISTINCT lo || CAST(random() AS varchar)) > 1000, count(DISTINCT CASE WHEN lo = \'red\' THEN random() END) > 600 FROM t'],
  ['SELECT count(*) FROM t WHERE id = 41 AND CAST(med AS integer) = 11'],
  ['SELECT sum(CASE WHEN med LIKE \'-%\' THEN CAST(med AS integer) END), count(CASE WHEN med LIKE \'-%\' THEN 1 END) FROM t'],
  ['SELECT CAST(med AS integer) FROM t WHERE med LIKE \'-2%\''],
  ['SELECT count(*) FROM t WHERE lo IN (\'red\', \'green\') AND 10 / (length(lo) - 4) > 0'],
  ['SELECT count(*), count(DISTINCT substr(med, -4, 3)), min(substr(med, -4, 3)), max(substr(med, -4, 3)) FROM t',
    'SELECT count(*), count(DISTINCT x), min(x), max(x) FROM (SELECT CASE WHEN length(med) - 4 < 0 THEN \'\' ELSE substr(med, -4, 3) END AS x FROM t) y'],
  [`SELECT count(*) FROM bs WHERE p > 'aaaaaaaaaaaaaaa${U}4'`],
  [`SELECT count(*), min(p), max(p) FROM bs WHERE p LIKE 'aaaaaaaaaaaaaaa${U}%'`],
  ['SELECT count(*) FROM bs WHERE q = \'long-string-value-number-699\''],
  ['SELECT count(*) FROM bs WHERE q >= \'long-string-valv\' OR q < \'long-string-valu\''],
  ['SELECT count(*), min(q), max(q) FROM bs WHERE q BETWEEN \'long-string-value-number-69\' AND \'long-string-value-number-6999\''],
  ['SELECT count(*), min(p), max(p) FROM bs WHERE p > \'aaaaaaaaaaaaaaaz\' AND p < \'aaaaaaaaaaaaaaa日本\''],
  ['SELECT substr(p, 16, 1), count(*), count(DISTINCT p) FROM bs GROUP BY 1'],
  ['SELECT count(*), count(DISTINCT s2), min(s2), max(s2) FROM big WHERE s2 LIKE \'x1%\' OR s2 > \'y-unique-9990\''],
  ['SELECT s2, count(*) FROM big WHERE s2 < \'x2\' OR s2 >= \'y-unique-9998\' GROUP BY s2'],
  ['SELECT count(DISTINCT s), min(s), max(s) FROM big WHERE s LIKE \'%-1_-padding\''],
  ['SELECT lo, count(*), min(med), max(med) FROM ps WHERE med BETWEEN \'m10\' AND \'m12\' GROUP BY lo'],
  ['SELECT count(*) FROM ps WHERE lo = \'red\' AND med > \'m298\''],
  ['SELECT lo, count(*) FROM (SELECT lo, row_number() OVER (PARTITION BY lo ORDER BY id) AS rn FROM tl) x WHERE rn <= 3 GROUP BY lo'],
  ['SELECT lo, max(med), count(*) FROM t GROUP BY lo HAVING min(med) < \'m\' AND max(lo) <> \'blue\''],
  ['SELECT count(*), count(u.v) FROM t JOIN u ON t.med = u.k WHERE t.lo LIKE \'%e%\' AND u.lo2 <> \'RED\''],
  ['SELECT lo, nullif(lo, \'red\') IS NULL, count(*) FROM t WHERE coalesce(lo, \'NULL!\') <> \'blue\' GROUP BY 1, 2'],
  ['SELECT pat, count(*) FROM t WHERE pat LIKE \'%\\%%\' ESCAPE \'\\\' OR pat LIKE \'a\\\\b\' ESCAPE \'\\\' GROUP BY pat'],
  // (ILIKE folds only ASCII: 'Ünïcödé' ILIKE 'ÜNÏ%' is in strdiff_bugs.test.todo)
  ['SELECT count(*) FROM t WHERE lo ILIKE \'RE%\' OR lo ILIKE \'ÜNï%\' OR upper(lo) = \'BLUE\''],
  ['SELECT lo, count(*) FILTER (WHERE med LIKE \'m1%\'), count(DISTINCT med) FILTER (WHERE pat IS NULL) FROM tl GROUP BY lo'],
]
async function edges(file) {
  const con = await (await DuckDBInstance.create(':memory:')).connect()
  for (const x of duckSetup()) await con.run(x)
  const wh = join(opt.work, 'wh')
  const fl = floeRun(opt.floe, wh, EDGES.map((e) => e[0]), opt.work)
  let out = sltHeader('Dictionary edge cases: grouping sets over dictionary keys, a dictionary\n# spanning chunks whose entries turn unique, volatile functions, errors only\n# from rows that pass, truncated string bounds, PLAIN fallback, partitions.')
  let bad = 0
  for (let i = 0; i < EDGES.length; i++) {
    const [f, d, ordered] = EDGES[i]
    const r = await con.runAndReadAll(d || f)
    const raw = r.getRows()
    const dg = digest(raw.map((row) => row.map(norm)))
    if (!sameResult(fl[i], dg, Boolean(ordered))) { bad++; console.log(`edge ${i} differs: ${f}\n  floe ${JSON.stringify(fl[i]).slice(0, 300)}\n  duck ${JSON.stringify(dg).slice(0, 300)}`); continue }
    out += sltRecord(f, textRows(raw), Boolean(ordered)) + '\n'
  }
  writeFileSync(file, out)
  console.log(`edges: ${EDGES.length - bad} written, ${bad} differ`)
}

if (mode === 'run') await main()
else if (mode === 'edges') await edges(opt.out)
else if (mode !== 'lib') { console.error('usage: strdiff_gen.mjs run --floe BIN [--floe2 BIN] [--n N] [--seed S] [--work DIR]'); process.exit(2) }
