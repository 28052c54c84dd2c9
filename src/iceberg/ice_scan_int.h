/*
 * ice_scan_int.h: the pruning tests of scan planning (ice_scan.c) that the
 * table operations reuse: whether a manifest's partition summaries, or a
 * data file's partition tuple and column metrics, might hold a row
 * matching a filter. Internal to src/iceberg: one copy of these rules
 * serves scan planning and the conflict and filter checks of
 * txn_produce.c.
 */
#ifndef ICE_SCAN_INT_H
#define ICE_SCAN_INT_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "ice_expr.h"
#include "ice_manifest.h"
#include "ice_metadata.h"
#include "ice_name_mapping.h"

/* *out: might a live file of data manifest m hold a row matching filter
 * (bound to schema)? The filter is projected onto m's partition spec and
 * evaluated on its partition field summaries; a manifest without added or
 * existing files matches nothing. NULL filter, no summaries or an unknown
 * spec: true. Scratch memory comes from arena. */
int ice_scan_manifest_might_match(bool *out, const ice_expr *filter, const ice_manifest_file *m,
                                  const ice_metadata *md, const ice_schema *schema,
                                  fl_arena *arena, fl_error *err);

/* *out: might a row of file match filter (bound to schema)? Its partition
 * tuple (inclusive projection) when its spec is known and, with metrics,
 * its column statistics (value/null/NaN counts, bounds; a bound narrower
 * than a promoted type is read as the narrower type). With a name mapping
 * (the table's, or NULL) only statistics of fields it still names are
 * trusted. NULL filter: true. */
int ice_scan_file_might_match(bool *out, const ice_expr *filter, const ice_data_file *file,
                              const ice_metadata *md, const ice_schema *schema,
                              const ice_name_mapping *mapping, bool metrics, fl_arena *scratch,
                              fl_error *err);

#endif
