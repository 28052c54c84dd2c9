// tests/interop/avro_check.mjs: floe's Avro against avsc (the npm Avro library).
//
// usage: node tests/interop/avro_check.mjs FLOE_AVRO_GEN [WORK_DIR]
//
// 1. `floe-avro-gen write DIR` writes an Iceberg-manifest-like schema with
//    field ids and one OCF file per codec (null, deflate, snappy, zstandard).
//    avsc reads each one: the header's "avro.schema" must be byte-identical
//    to the schema floe was given and carry every field-id / element-id /
//    key-id / value-id; the extra header keys must be there; every row must
//    equal row(i) below (longs as BigInt, so 64-bit snapshot ids are exact).
// 2. avsc writes the same rows (null, deflate, snappy) and
//    `floe-avro-gen check FILE` must read them back exactly ("ok 100").
// Snappy uses hysnappy and zstd fzstd (both come with hyparquet-compressors).
// Ends with "N passed, N failed"; exit 1 on any failure.

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import avro from 'avsc'
import { assert, check, finish, parseHook, results } from './avro_common.mjs'
import { snappyCompress, snappyUncompress } from 'hysnappy'
import { decompress as zstdDecompress } from 'fzstd'

const ROWS = 100
const gen = process.argv[2]
if (!gen) {
  console.error('usage: node avro_check.mjs FLOE_AVRO_GEN [WORK_DIR]')
  process.exit(2)
}
const dir = process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), 'floe-avro-'))
fs.mkdirSync(dir, { recursive: true })



// snappy blocks end with the big-endian CRC-32 of the uncompressed bytes
function varint(buf) {
  let v = 0, shift = 0, i = 0
  for (;;) {
    const b = buf[i++]
    v += (b & 0x7f) * 2 ** shift
    if (!(b & 0x80)) return v
    shift += 7
  }
}
const codecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.inflateRaw,
  snappy: (buf, cb) => {
    try {
      const body = buf.subarray(0, buf.length - 4)
      const out = Buffer.from(snappyUncompress(body, varint(body)))
      if (zlib.crc32(out) !== buf.readUInt32BE(buf.length - 4)) throw new Error('snappy block CRC mismatch')
      cb(null, out)
    } catch (e) { cb(e) }
  },
  zstandard: (buf, cb) => {
    try { cb(null, Buffer.from(zstdDecompress(buf))) } catch (e) { cb(e) }
  },
}
const encodeCodecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.deflateRaw,
  snappy: (buf, cb) => {
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(buf))
    cb(null, Buffer.concat([Buffer.from(snappyCompress(buf)), crc]))
  },
}

// must match make_row() in avro_gen.c
function row(i) {
  const id = Buffer.alloc(16)
  for (let k = 0; k < 16; k++) id[k] = (i * 7 + k) & 255
  const props = { a: String(i) }
  if (i % 2) props.b = 'x'
  return {
    status: i % 3,
    snapshot_id: i % 4 === 0 ? null : 7000000000000000000n + BigInt(i),
    data_file: {
      file_path: `s3://bucket/data/été-${i}.parquet`,
      file_format: 'PARQUET',
      partition: { day: i % 5 === 0 ? null : 19000 + i },
      record_count: BigInt(i * 1000 + 1),
      value_counts: i % 2 ? null : [{ key: 1, value: BigInt(i) }, { key: 2, value: BigInt(2 * i) }],
      lower_bounds: [{ key: 1, value: Buffer.from([i & 255, 0, 255]) }],
      split_offsets: i % 3 === 0 ? null : [4n, BigInt(4 + i)],
      props,
      id,
      score: i * 0.125,
      ratio: i * 0.5,
      valid: i % 2 === 0,
      kind: i % 2 ? 'DELETES' : 'DATA',
    },
  }
}

function same(a, b, where) {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    assert(Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b), `${where}: ${a} != ${b}`)
  } else if (Array.isArray(a)) {
    assert(Array.isArray(b) && a.length === b.length, `${where}: array length differs`)
    a.forEach((x, k) => same(x, b[k], `${where}[${k}]`))
  } else if (a !== null && typeof a === 'object') {
    assert(b !== null && typeof b === 'object', `${where}: ${String(b)} is not an object`)
    const ka = Object.keys(a), kb = Object.keys(b)
    assert(ka.join() === kb.join(), `${where}: keys ${ka} != ${kb}`)
    ka.forEach((k) => same(a[k], b[k], `${where}.${k}`))
  } else {
    assert(a === b, `${where}: ${a} (${typeof a}) != ${b} (${typeof b})`)
  }
}

// every id attribute in a schema JSON: "field-id:N", "element-id:N" ...
function ids(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => ids(n, out))
  else if (node && typeof node === 'object') {
    for (const k of ['field-id', 'element-id', 'key-id', 'value-id']) {
      if (k in node) {
        assert(Number.isInteger(node[k]), `${k} ${JSON.stringify(node[k])} is not an integer`)
        out.push(`${k}:${node[k]}`)
      }
    }
    if (node.type === 'record') {
      for (const f of node.fields) assert('field-id' in f, `field ${f.name} has no field-id`)
    }
    Object.values(node).forEach((v) => ids(v, out))
  }
  return out
}

function readAvsc(file) {
  return new Promise((resolve, reject) => {
    const rows = []
    let meta = null
    avro.createFileDecoder(file, { codecs, parseHook })
      .on('metadata', (type, codec, header) => { meta = { codec, header } })
      .on('data', (r) => rows.push(r))
      .on('error', reject)
      .on('end', () => resolve({ meta, rows }))
  })
}

function writeAvsc(file, schema, codec, rows) {
  return new Promise((resolve, reject) => {
    // given the schema object, avsc writes it whole (field ids included) into
    // the header; the values are then written with the BigInt-long type
    const enc = new avro.streams.BlockEncoder(schema, {
      codec, codecs: encodeCodecs, blockSize: 512,
      metadata: { 'format-version': Buffer.from('2') },
    })
    enc._type = parseHook(schema)
    const out = fs.createWriteStream(file)
    out.on('finish', resolve).on('error', reject)
    enc.on('error', reject)
    enc.pipe(out)
    rows.forEach((r) => enc.write(r))
    enc.end()
  })
}

execFileSync(gen, ['write', dir], { stdio: 'inherit' })
const schemaText = fs.readFileSync(path.join(dir, 'schema.json'), 'utf8')
const schema = JSON.parse(schemaText)
const wantIds = ids(schema).sort()
assert(wantIds.length === 24, `the test schema has ${wantIds.length} ids`)

for (const codec of ['null', 'deflate', 'snappy', 'zstandard']) {
  await check(`avsc reads floe_${codec}.avro`, async () => {
    const { meta, rows } = await readAvsc(path.join(dir, `floe_${codec}.avro`))
    assert(meta.codec === codec, `codec ${meta.codec}`)
    const m = meta.header.meta
    assert(m['avro.schema'].toString() === schemaText, 'avro.schema is not the schema floe was given, verbatim')
    same(ids(JSON.parse(m['avro.schema'].toString())).sort(), wantIds, 'ids')
    assert(m['format-version'].toString() === '2', 'format-version')
    assert(m.content.toString() === 'data', 'content')
    assert(JSON.parse(m['partition-spec'].toString())[0]['field-id'] === 1000, 'partition-spec')
    assert(rows.length === ROWS, `${rows.length} rows`)
    rows.forEach((r, i) => same({ ...r }, row(i), `row ${i}`))
  })
}

for (const codec of ['null', 'deflate', 'snappy']) {
  await check(`floe reads avsc_${codec}.avro`, async () => {
    const file = path.join(dir, `avsc_${codec}.avro`)
    const rows = []
    for (let i = 0; i < ROWS; i++) rows.push(row(i))
    await writeAvsc(file, schema, codec, rows)
    let out
    try {
      out = execFileSync(gen, ['check', file], { encoding: 'utf8' }).trim()
    } catch (e) {
      throw new Error(`floe-avro-gen check failed: ${e.stdout || ''}${e.stderr || ''}`)
    }
    assert(out === `ok ${ROWS} ${codec}`, out)
  })
}

if (!process.argv[3] && !results.failed) fs.rmSync(dir, { recursive: true, force: true })
finish()
