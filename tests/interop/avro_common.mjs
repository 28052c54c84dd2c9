// avro_common.mjs: what the Avro interop checks (avro_check.mjs,
// manifest_check.mjs) share: a check runner ending with "N passed, N failed"
// and avsc's parsing with 64-bit longs as BigInt.
import avro from 'avsc'

export const results = { passed: 0, failed: 0 }
export function check(name, fn) {
  return Promise.resolve()
    .then(fn)
    .then(() => { results.passed++; console.log(`ok ${name}`) },
      (e) => { results.failed++; console.log(`not ok ${name}: ${e && e.stack ? e.stack : e}`) })
}
export function assert(cond, msg) { if (!cond) throw new Error(msg) }
// prints the closing line and exits 1 on any failure
export function finish() {
  console.log(`${results.passed} passed, ${results.failed} failed`)
  process.exit(results.failed ? 1 : 0)
}

// 64-bit longs as BigInt (avsc's documented custom long type)
const longType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
})
export const parseHook = (schema) => avro.Type.forSchema(schema, { registry: { long: longType } })
