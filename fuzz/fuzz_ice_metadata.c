/*
 * fuzz_ice_metadata.c: libFuzzer target for the Iceberg table metadata
 * reader (src/iceberg). The input is parsed as table metadata JSON (gzip or
 * zstd compressed input is inflated first, so mutations reach the
 * decompressors too). When it parses, the target exercises what later
 * layers do with metadata: every schema's partition types, the name mapping
 * property, snapshot history, refs and time travel; then it writes the
 * metadata, parses the output again and aborts unless a second write gives
 * byte-identical text (the writer and reader must agree on everything).
 * Seed corpus: shared/fixtures/iceberg/ ** / *.metadata.json and
 * _unit/table_metadata/ ** / *.json.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/buf.h"
#include "../src/iceberg/ice_metadata.h"
#include "../src/iceberg/ice_name_mapping.h"

static void exercise(const ice_metadata *md)
{
    fl_error err;
    const ice_schema *schema = ice_metadata_current_schema(md);
    for (size_t i = 0; i < md->spec_count && schema; i++) {
        const ice_type *pt;
        (void)ice_partition_type(&pt, md->specs[i], schema, true, md->arena, &err);
    }
    const char *nm = ice_metadata_property(md, ICE_NAME_MAPPING_PROPERTY);
    if (nm) {
        ice_name_mapping *m;
        (void)ice_name_mapping_parse(&m, nm, strlen(nm), md->arena, &err);
    }
    for (size_t i = 0; i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        (void)ice_metadata_is_ancestor(md, s, -42);
        (void)ice_metadata_snapshot_parent(md, s);
    }
    const ice_snapshot *s;
    for (size_t i = 0; i < md->ref_count; i++) (void)ice_metadata_snapshot_by_ref(&s, md, md->refs[i].name, &err);
    for (size_t i = 0; i < md->snapshot_log_count; i++)
        (void)ice_metadata_snapshot_as_of(&s, md, md->snapshot_log[i].timestamp_ms, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err;
    ice_metadata *md = NULL, *md2 = NULL;
    if (ice_metadata_parse(&md, data, size, &err) < 0) return 0;
    exercise(md);
    fl_buf a, b;
    fl_buf_init(&a);
    fl_buf_init(&b);
    if (ice_metadata_write(&a, md, &err) < 0) abort();
    if (ice_metadata_parse(&md2, a.data, a.len, &err) < 0) {
        fprintf(stderr, "written metadata does not parse: %s\n", err.message);
        abort();
    }
    if (ice_metadata_write(&b, md2, &err) < 0) abort();
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
        fprintf(stderr, "second write differs\n");
        abort();
    }
    fl_buf_dispose(&a);
    fl_buf_dispose(&b);
    ice_metadata_free(md);
    ice_metadata_free(md2);
    return 0;
}
