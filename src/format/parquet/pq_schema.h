/*
 * pq_schema.h: the logical schema of a Parquet file as a tree of fields.
 *
 * The reader builds it from the flat SchemaElement list (pq_schema.c),
 * resolving logical/converted types to fl_type and the legacy LIST/MAP
 * layouts (2-level lists, repeated fields without annotation) to LIST/MAP
 * fields. The writer takes the same tree as its input schema and derives the
 * physical layout (3-level lists, MAP key_value groups) from it.
 */
#ifndef PQ_SCHEMA_H
#define PQ_SCHEMA_H

#include "pq_meta.h"
#include "../../base/type.h"

typedef struct pq_field {
    const char *name;
    fl_type type;              /* STRUCT / LIST / MAP for groups */
    bool nullable;
    int32_t field_id;
    bool has_field_id;
    struct pq_field *children; /* STRUCT: fields; LIST: [element]; MAP: [key, value] */
    uint32_t n_children;

    /* Set by the reader (ignored by the writer): */
    int leaf_index;            /* index of the leaf column chunk, -1 for groups */
    int16_t max_def, max_rep;  /* definition and repetition levels at this node */
    int physical_type;         /* leaves: pq_physical_type */
    int32_t type_length;       /* leaves: FIXED_LEN_BYTE_ARRAY length */
    const pq_schema_element *element;  /* the element this field came from */
} pq_field;

/* Builds the field tree from meta->schema; the root is a STRUCT whose
 * children are the top-level columns. Everything lives in arena. */
int pq_schema_build(pq_field **root, const pq_file_meta *meta, fl_arena *arena, fl_error *err);

/* Counts the leaf columns under a field. */
int pq_field_leaf_count(const pq_field *field);

#endif
