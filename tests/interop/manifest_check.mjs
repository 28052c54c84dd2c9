// tests/interop/manifest_check.mjs: floe's Iceberg manifests and manifest
// lists read by avsc (the npm Avro library).
//
// usage: node tests/interop/manifest_check.mjs FLOE_MANIFEST_GEN [WORK_DIR]
//
// 1. `floe-manifest-gen write DIR` writes manifest-v2.avro, snap-v2.avro and
//    snap-v3.avro (see tests/interop/manifest_gen.c for the fixed values).
// 2. avsc decodes each file. Checks: every record field of the embedded
//    "avro.schema" carries an integer "field-id" with the spec's id, arrays
//    an "element-id" (or are Iceberg maps: logicalType "map" with key/value
//    field ids), the partition struct "r102" has ids 1000..1002; the header
//    keys (schema, partition-spec, partition-spec-id, format-version,
//    content / snapshot-id, parent-snapshot-id, sequence-number,
//    first-row-id); and every value (longs as BigInt).
// 3. avsc writes a v2 manifest list with Java's schema and floe reads it
//    back (`floe-manifest-gen read FILE`).
// Ends with "N passed, N failed"; exit 1 on any failure.

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import avro from 'avsc'
import { assert, check, finish, parseHook, results } from './avro_common.mjs'

const gen = process.argv[2]
if (!gen) {
  console.error('usage: node manifest_check.mjs FLOE_MANIFEST_GEN [WORK_DIR]')
  process.exit(2)
}
const dir = process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), 'floe-manifest-'))
fs.mkdirSync(dir, { recursive: true })

function eq(got, want, what) {
  const g = typeof got === 'bigint' ? got.toString() : JSON.stringify(got)
  const w = typeof want === 'bigint' ? want.toString() : JSON.stringify(want)
  assert(g === w, `${what}: got ${g}, want ${w}`)
}

const codecs = { null: (buf, cb) => cb(null, buf), deflate: zlib.inflateRaw }

function readOcf(file) {
  return new Promise((resolve, reject) => {
    const rows = []
    let header = null
    avro.createFileDecoder(file, { parseHook, codecs })
      .on('metadata', (type, codec, h) => { header = h })
      .on('data', (r) => rows.push(r))
      .on('end', () => resolve({ rows, meta: header.meta }))
      .on('error', reject)
  })
}

// Every record field has a field-id; arrays have element-id or are maps of
// {key, value} records with field ids. Returns a map name path -> id.
function collectIds(schema, prefix, out) {
  if (Array.isArray(schema)) { for (const b of schema) collectIds(b, prefix, out); return out }
  if (typeof schema !== 'object' || schema === null) return out
  if (schema.type === 'record') {
    for (const f of schema.fields) {
      assert(Number.isInteger(f['field-id']), `field ${prefix}${f.name} has no integer field-id`)
      out[prefix + f.name] = f['field-id']
      collectIds(f.type, `${prefix}${f.name}.`, out)
    }
  } else if (schema.type === 'array') {
    if (schema.logicalType === 'map') {
      const kv = schema.items
      assert(kv.type === 'record' && kv.fields.length === 2, `${prefix}: map items are not a key/value record`)
      collectIds(kv, prefix, out)
    } else {
      assert(Number.isInteger(schema['element-id']), `${prefix}: array has no element-id`)
      out[prefix + 'element'] = schema['element-id']
      collectIds(schema.items, prefix, out)
    }
  }
  return out
}

const MANIFEST_IDS = {
  status: 0, snapshot_id: 1, sequence_number: 3, file_sequence_number: 4, data_file: 2,
  'data_file.content': 134, 'data_file.file_path': 100, 'data_file.file_format': 101,
  'data_file.partition': 102, 'data_file.partition.id_bucket': 1000,
  'data_file.partition.name_trunc': 1001, 'data_file.partition.d_day': 1002,
  'data_file.record_count': 103, 'data_file.file_size_in_bytes': 104,
  'data_file.column_sizes': 108, 'data_file.column_sizes.key': 117, 'data_file.column_sizes.value': 118,
  'data_file.value_counts': 109, 'data_file.value_counts.key': 119, 'data_file.value_counts.value': 120,
  'data_file.null_value_counts': 110, 'data_file.null_value_counts.key': 121, 'data_file.null_value_counts.value': 122,
  'data_file.nan_value_counts': 137, 'data_file.nan_value_counts.key': 138, 'data_file.nan_value_counts.value': 139,
  'data_file.lower_bounds': 125, 'data_file.lower_bounds.key': 126, 'data_file.lower_bounds.value': 127,
  'data_file.upper_bounds': 128, 'data_file.upper_bounds.key': 129, 'data_file.upper_bounds.value': 130,
  'data_file.key_metadata': 131, 'data_file.split_offsets': 132, 'data_file.split_offsets.element': 133,
  'data_file.equality_ids': 135, 'data_file.equality_ids.element': 136,
  'data_file.sort_order_id': 140, 'data_file.referenced_data_file': 143,
}
const LIST_IDS = {
  manifest_path: 500, manifest_length: 501, partition_spec_id: 502, content: 517,
  sequence_number: 515, min_sequence_number: 516, added_snapshot_id: 503,
  added_files_count: 504, existing_files_count: 505, deleted_files_count: 506,
  added_rows_count: 512, existing_rows_count: 513, deleted_rows_count: 514,
  partitions: 507, 'partitions.element': 508, 'partitions.contains_null': 509,
  'partitions.contains_nan': 518, 'partitions.lower_bound': 510, 'partitions.upper_bound': 511,
  key_metadata: 519,
}
const SNAPSHOT_ID = 9123456789012345678n
const le32 = (n) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b }

function checkIds(meta, want, extra) {
  const schema = JSON.parse(meta['avro.schema'].toString())
  const ids = collectIds(schema, '', {})
  const all = { ...want, ...(extra || {}) }
  for (const [k, v] of Object.entries(all)) eq(ids[k], v, `field id of ${k}`)
  for (const k of Object.keys(ids)) assert(k in all, `unexpected field ${k}`)
  return schema
}

function metaStr(meta, key) {
  assert(meta[key] !== undefined, `header key ${key} is missing`)
  return meta[key].toString()
}

execFileSync(gen, ['write', dir])

await check('manifest v2: schema field ids and header keys', async () => {
  const { meta } = await readOcf(path.join(dir, 'manifest-v2.avro'))
  const schema = checkIds(meta, MANIFEST_IDS)
  eq(schema.name, 'manifest_entry', 'record name')
  eq(metaStr(meta, 'format-version'), '2', 'format-version')
  eq(metaStr(meta, 'content'), 'data', 'content')
  eq(metaStr(meta, 'partition-spec-id'), '0', 'partition-spec-id')
  eq(metaStr(meta, 'schema-id'), '0', 'schema-id')
  const spec = JSON.parse(metaStr(meta, 'partition-spec'))
  eq(spec.map((f) => [f.name, f.transform, f['source-id'], f['field-id']]),
    [['id_bucket', 'bucket[8]', 1, 1000], ['name_trunc', 'truncate[2]', 2, 1001], ['d_day', 'day', 3, 1002]],
    'partition-spec')
  const tschema = JSON.parse(metaStr(meta, 'schema'))
  eq(tschema.fields.map((f) => [f.id, f.name]), [[1, 'id'], [2, 'name'], [3, 'd']], 'table schema')
  const day = schema.fields[4].type.fields[3].type.fields[2].type[1]
  eq(day, { type: 'int', logicalType: 'date' }, 'day partition type')
})

await check('manifest v2: entry values', async () => {
  const { rows } = await readOcf(path.join(dir, 'manifest-v2.avro'))
  eq(rows.length, 3, 'entries')
  const [a, b, c] = rows
  eq(a.status, 1, 'a status')
  eq(a.snapshot_id, SNAPSHOT_ID, 'a snapshot_id')
  eq(a.sequence_number, null, 'a sequence_number (inherited)')
  eq(a.file_sequence_number, null, 'a file_sequence_number')
  eq(a.data_file.content, 0, 'a content')
  eq(a.data_file.file_path, 's3://b/t/data/a.parquet', 'a path')
  eq(a.data_file.file_format, 'PARQUET', 'a format')
  eq(a.data_file.partition, { id_bucket: 3, name_trunc: 'ab', d_day: 19000 }, 'a partition')
  eq(a.data_file.record_count, 10n, 'a record_count')
  eq(a.data_file.file_size_in_bytes, 1000n, 'a size')
  eq(a.data_file.column_sizes.map((kv) => [kv.key, Number(kv.value)]), [[1, 100], [2, 200]], 'a column_sizes')
  eq(a.data_file.null_value_counts.map((kv) => [kv.key, Number(kv.value)]), [[2, 0]], 'a null_value_counts')
  eq(a.data_file.nan_value_counts, null, 'a nan_value_counts')
  eq(a.data_file.lower_bounds[0].key, 1, 'a lower key')
  eq(a.data_file.lower_bounds[0].value.readBigInt64LE(), 1n, 'a lower bound')
  eq(a.data_file.upper_bounds[0].value.readBigInt64LE(), 10n, 'a upper bound')
  eq(a.data_file.split_offsets.map(Number), [4], 'a split_offsets')
  eq(a.data_file.sort_order_id, 0, 'a sort_order_id')
  eq(a.data_file.equality_ids, null, 'a equality_ids')
  eq(b.status, 0, 'b status')
  eq(b.snapshot_id, 111n, 'b snapshot_id')
  eq(b.sequence_number, 5n, 'b sequence_number')
  eq(b.file_sequence_number, 6n, 'b file_sequence_number')
  eq(b.data_file.partition, { id_bucket: null, name_trunc: 'cd', d_day: null }, 'b partition')
  eq(b.data_file.column_sizes, null, 'b column_sizes')
  eq(c.status, 2, 'c status')
  eq(c.sequence_number, 2n, 'c sequence_number')
  eq(c.data_file.record_count, 30n, 'c record_count')
})

async function checkList(version) {
  const file = path.join(dir, `snap-v${version}.avro`)
  const { rows, meta } = await readOcf(file)
  checkIds(meta, LIST_IDS, version >= 3 ? { first_row_id: 520 } : {})
  eq(metaStr(meta, 'format-version'), String(version), 'format-version')
  eq(metaStr(meta, 'snapshot-id'), SNAPSHOT_ID.toString(), 'snapshot-id')
  eq(metaStr(meta, 'parent-snapshot-id'), '111', 'parent-snapshot-id')
  eq(metaStr(meta, 'sequence-number'), '7', 'sequence-number')
  if (version >= 3) eq(metaStr(meta, 'first-row-id'), '500', 'first-row-id')
  eq(rows.length, 2, 'manifests')
  const [m, d] = rows
  eq(m.manifest_path, path.join(dir, 'manifest-v2.avro'), 'manifest_path')
  eq(m.manifest_length, BigInt(fs.statSync(path.join(dir, 'manifest-v2.avro')).size), 'manifest_length = file size')
  eq(m.partition_spec_id, 0, 'partition_spec_id')
  eq(m.content, 0, 'content')
  eq(m.sequence_number, 7n, 'sequence_number assigned by the list writer')
  eq(m.min_sequence_number, 5n, 'min_sequence_number (live entries)')
  eq(m.added_snapshot_id, SNAPSHOT_ID, 'added_snapshot_id')
  eq([m.added_files_count, m.existing_files_count, m.deleted_files_count], [1, 1, 1], 'file counts')
  eq([m.added_rows_count, m.existing_rows_count, m.deleted_rows_count].map(Number), [10, 20, 30], 'row counts')
  eq(m.partitions.length, 3, 'partition summaries')
  eq(m.partitions[0].contains_null, true, 'bucket contains_null')
  eq(m.partitions[0].contains_nan, false, 'bucket contains_nan')
  // summaries cover every entry, the DELETED one too (as Iceberg Java)
  assert(m.partitions[0].lower_bound.equals(le32(3)) && m.partitions[0].upper_bound.equals(le32(7)), 'bucket bounds')
  eq(m.partitions[1].lower_bound.toString(), 'ab', 'trunc lower')
  eq(m.partitions[1].upper_bound.toString(), 'ef', 'trunc upper')
  assert(m.partitions[2].lower_bound.equals(le32(19000)) && m.partitions[2].upper_bound.equals(le32(19001)), 'day bounds')
  eq(m.partitions[2].contains_null, true, 'day contains_null')
  eq(d.manifest_path, 's3://b/t/metadata/del-m0.avro', 'delete manifest path')
  eq(d.content, 1, 'delete manifest content')
  eq(d.sequence_number, 6n, 'delete manifest sequence_number')
  eq(d.partitions, null, 'delete manifest partitions')
  if (version >= 3) {
    eq(m.first_row_id, 500n, 'first_row_id of the data manifest')
    eq(d.first_row_id, null, 'first_row_id of a delete manifest')
  }
}
await check('manifest list v2: schema field ids, header keys, values', () => checkList(2))
await check('manifest list v3: first-row-id', () => checkList(3))

await check('avsc writes a Java-layout manifest list, floe reads it', async () => {
  const { meta } = await readOcf(path.join(dir, 'snap-v2.avro'))
  const schema = JSON.parse(meta['avro.schema'].toString())
  const file = path.join(dir, 'avsc-list.avro')
  const type = parseHook(schema)
  await new Promise((resolve, reject) => {
    // avsc writes the schema object whole (field ids included) into the
    // header; values go through the BigInt-long type
    const enc = new avro.streams.BlockEncoder(schema, {
      codec: 'deflate', codecs: { deflate: zlib.deflateRaw },
      metadata: { 'format-version': Buffer.from('2'), 'snapshot-id': Buffer.from('5') },
    })
    enc._type = type
    const out = fs.createWriteStream(file)
    out.on('finish', resolve).on('error', reject)
    enc.on('error', reject)
    enc.pipe(out)
    enc.write({
      manifest_path: 'a.avro', manifest_length: 7777n, partition_spec_id: 3, content: 1,
      sequence_number: 4n, min_sequence_number: 2n, added_snapshot_id: 5n,
      added_files_count: 1, existing_files_count: 2, deleted_files_count: 3,
      added_rows_count: 10n, existing_rows_count: 20n, deleted_rows_count: 30n,
      partitions: [{ contains_null: false, contains_nan: true, lower_bound: null, upper_bound: null }],
      key_metadata: null,
    })
    enc.end()
  })
  const out = execFileSync(gen, ['read', file]).toString().trim()
  eq(out, 'a.avro 7777 3 1 4 2 5 1 2 3 10 20 30 1', 'floe reading')
})

finish()
