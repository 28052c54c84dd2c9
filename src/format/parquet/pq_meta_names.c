/*
 * pq_meta_names.c: names of Parquet enum values (pq_meta.h), spelled as in
 * parquet.thrift, for error messages, EXPLAIN and the inspection tools.
 */
#include "pq_meta.h"

#include <stddef.h>

static const char *lookup(const char *const *names, size_t n, int v)
{
    if (v < 0 || (size_t)v >= n || !names[v]) return "UNRECOGNIZED";
    return names[v];
}

const char *pq_physical_type_name(int type)
{
    static const char *const names[] = {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE",
                                        "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    return lookup(names, FL_ARRAY_SIZE(names), type);
}

const char *pq_encoding_name(int encoding)
{
    static const char *const names[] = {"PLAIN", NULL, "PLAIN_DICTIONARY", "RLE", "BIT_PACKED",
                                        "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
                                        "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
    return lookup(names, FL_ARRAY_SIZE(names), encoding);
}

const char *pq_codec_name(int codec)
{
    static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4",
                                        "ZSTD", "LZ4_RAW"};
    return lookup(names, FL_ARRAY_SIZE(names), codec);
}

const char *pq_converted_type_name(int ct)
{
    static const char *const names[] = {
        "UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS",
        "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
        "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL"};
    if (ct == PQ_CT_NONE) return "NONE";
    return lookup(names, FL_ARRAY_SIZE(names), ct);
}

const char *pq_logical_kind_name(int kind)
{
    static const char *const names[] = {
        "NONE", "STRING", "MAP", "LIST", "ENUM", "DECIMAL", "DATE", "TIME", "TIMESTAMP", NULL,
        "INTEGER", "UNKNOWN", "JSON", "BSON", "UUID", "FLOAT16", "VARIANT", "GEOMETRY",
        "GEOGRAPHY"};
    if (kind == PQ_LT_OTHER) return "OTHER";
    return lookup(names, FL_ARRAY_SIZE(names), kind);
}
