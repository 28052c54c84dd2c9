/*
 * plan_gen.h: generator of a synthetic Iceberg v2 table for the scan
 * planning benchmark (bench/plan/plan_bench.c) and its unit test
 * (tests/unit/iceberg/test_plan_small.c). Only metadata is written: the
 * data files it names do not exist (planning never opens them).
 *
 * Table: schema {1: id long required, 2: day date required, 3: note string},
 * spec 0 = identity(day) (partition field 1000 "day"). Manifest m (of
 * `manifests`) holds `files_per_manifest` data files, all in partition
 * day = 2020-01-01 + m days; data file k (0-based over the whole table) has
 * 1000 records with id bounds [k * 1000, k * 1000 + 999] (Appendix D
 * single-value bytes). One snapshot (sequence number 1) whose manifest list
 * names every manifest. Manifests are Avro with the deflate codec, as
 * Iceberg Java writes them.
 */
#ifndef PLAN_GEN_H
#define PLAN_GEN_H

#include <stdint.h>

#include "../../src/base/error.h"
#include "../../src/io/io.h"
#include "../../src/iceberg/ice_metadata.h"

#define PLAN_GEN_FIRST_DAY 18262       /* 2020-01-01 */
#define PLAN_GEN_ROWS_PER_FILE 1000

/* Writes the table under root (a directory location on fs: root/metadata/
 * gets the manifests, the manifest list and v1.metadata.json) and reads
 * the metadata back into *out (free with ice_metadata_free). */
int plan_gen_table(ice_metadata **out, io_fs *fs, const char *root, int manifests,
                   int files_per_manifest, fl_error *err);

/* Filter text selecting the partitions [first, first + count) (day range). */
void plan_gen_day_filter(char *buf, size_t cap, int first, int count);
/* Filter text selecting data files [first, first + count) by id only (no
 * partition column, so only column metrics can prune). */
void plan_gen_id_filter(char *buf, size_t cap, int first, int count);

#endif
