/*
 * pq_schema.c: builds the logical field tree (pq_field) from the flat,
 * depth-first SchemaElement list of a Parquet footer.
 *
 * Each leaf gets its fl_type from the logical type (preferred), else the
 * converted type, else the physical type; an annotation that does not fit
 * the physical type (or a logical type this reader does not know) falls back
 * to the physical type. Groups become STRUCT, LIST or MAP fields following
 * the backward-compatibility rules of LogicalTypes.md:
 *
 *   - LIST with a repeated primitive child: 2-level list, element = the child;
 *   - LIST whose repeated child is a group with several fields, or a single
 *     field group named "array" or "<list name>_tuple": the repeated group is
 *     the (required) element;
 *   - otherwise 3-level: element = the repeated group's only child;
 *   - MAP / MAP_KEY_VALUE: repeated key_value group of key [+ value]; a map
 *     without a value reads as a LIST of its keys;
 *   - a repeated field outside a LIST/MAP is a required list of required
 *     elements.
 *
 * Levels: every field records max_def (the definition level at which it is
 * non-null) and max_rep (the repetition level of its context). For LIST and
 * MAP the repeated layer has definition max_def + 1 and repetition
 * max_rep + 1; the element (key, value) lives in that context. The reader's
 * level assembly (pq_assemble.c) relies on exactly this.
 */
#include "pq_schema.h"

#include <string.h>

#define MAX_LEVEL 250   /* levels are decoded into uint8_t */

typedef struct builder {
    const pq_file_meta *meta;
    fl_arena *arena;
    fl_error *err;
    int next_leaf;
} builder;

static int build_node(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                      bool force_required, int *next);

static int corrupt(builder *b, const char *what, int idx)
{
    return fl_error_set(b->err, FLOE_ECORRUPT, "invalid parquet schema: %s (element %d)", what,
                        idx);
}

/* Index just past the subtree rooted at idx, or -1 when it runs off the end. */
static int subtree_end(const pq_file_meta *meta, int idx, int depth)
{
    if (idx >= meta->n_schema || depth > 200) return -1;
    const pq_schema_element *el = &meta->schema[idx];
    int next = idx + 1;
    if (el->num_children < 0) return -1;
    for (int32_t i = 0; i < el->num_children; i++) {
        next = subtree_end(meta, next, depth + 1);
        if (next < 0) return -1;
    }
    return next;
}

static fl_type leaf_type(const pq_schema_element *el)
{
    int phys = el->type;
    fl_type physical;
    switch (phys) {
    case PQ_BOOLEAN: physical = fl_type_make(FL_TYPE_BOOL); break;
    case PQ_INT32: physical = fl_type_make(FL_TYPE_INT32); break;
    case PQ_INT64: physical = fl_type_make(FL_TYPE_INT64); break;
    case PQ_INT96: physical = fl_type_make(FL_TYPE_TIMESTAMP); break;
    case PQ_FLOAT: physical = fl_type_make(FL_TYPE_FLOAT); break;
    case PQ_DOUBLE: physical = fl_type_make(FL_TYPE_DOUBLE); break;
    case PQ_BYTE_ARRAY: physical = fl_type_make(FL_TYPE_BINARY); break;
    default: physical = fl_type_fixed(el->type_length); break;
    }
    bool bytes = phys == PQ_BYTE_ARRAY || phys == PQ_FIXED_LEN_BYTE_ARRAY;
    const pq_logical_type *lt = &el->logical;
    int32_t precision = -1, scale = 0;
    switch (lt->kind) {
    case PQ_LT_STRING:
    case PQ_LT_ENUM:
    case PQ_LT_JSON:
        return phys == PQ_BYTE_ARRAY ? fl_type_make(FL_TYPE_STRING) : physical;
    case PQ_LT_BSON:
    case PQ_LT_GEOMETRY:
    case PQ_LT_GEOGRAPHY:
    case PQ_LT_VARIANT:
        return physical;
    case PQ_LT_UUID:
        return phys == PQ_FIXED_LEN_BYTE_ARRAY && el->type_length == 16
                   ? fl_type_make(FL_TYPE_UUID) : physical;
    case PQ_LT_DATE: return phys == PQ_INT32 ? fl_type_make(FL_TYPE_DATE) : physical;
    case PQ_LT_TIME:
        if ((lt->unit == PQ_UNIT_MILLIS && phys == PQ_INT32) ||
            (lt->unit != PQ_UNIT_MILLIS && phys == PQ_INT64))
            return fl_type_make(FL_TYPE_TIME);
        return physical;
    case PQ_LT_TIMESTAMP:
        if (phys != PQ_INT64) return physical;
        if (lt->unit == PQ_UNIT_NANOS)
            return fl_type_make(lt->is_adjusted_to_utc ? FL_TYPE_TIMESTAMPTZ_NS
                                                       : FL_TYPE_TIMESTAMP_NS);
        return fl_type_make(lt->is_adjusted_to_utc ? FL_TYPE_TIMESTAMPTZ : FL_TYPE_TIMESTAMP);
    case PQ_LT_INTEGER: {
        int bw = lt->bit_width;
        if (!((bw == 64 && phys == PQ_INT64) || ((bw == 8 || bw == 16 || bw == 32) && phys == PQ_INT32)))
            return physical;
        static const fl_type_id s[] = {FL_TYPE_INT8, FL_TYPE_INT16, FL_TYPE_INT32, FL_TYPE_INT64};
        static const fl_type_id u[] = {FL_TYPE_UINT8, FL_TYPE_UINT16, FL_TYPE_UINT32, FL_TYPE_UINT64};
        int k = bw == 8 ? 0 : bw == 16 ? 1 : bw == 32 ? 2 : 3;
        return fl_type_make(lt->is_signed ? s[k] : u[k]);
    }
    case PQ_LT_FLOAT16:
        return phys == PQ_FIXED_LEN_BYTE_ARRAY && el->type_length == 2
                   ? fl_type_make(FL_TYPE_FLOAT) : physical;
    case PQ_LT_UNKNOWN: return fl_type_make(FL_TYPE_NULL);
    case PQ_LT_DECIMAL:
        precision = lt->precision;
        scale = lt->scale;
        break;
    case PQ_LT_NONE:
        break;
    default:   /* LIST/MAP on a leaf, or a logical type from the future */
        return physical;
    }
    if (lt->kind == PQ_LT_NONE) {
        switch (el->converted_type) {
        case PQ_CT_UTF8:
        case PQ_CT_ENUM:
        case PQ_CT_JSON:
            return phys == PQ_BYTE_ARRAY ? fl_type_make(FL_TYPE_STRING) : physical;
        case PQ_CT_DATE: return phys == PQ_INT32 ? fl_type_make(FL_TYPE_DATE) : physical;
        case PQ_CT_TIME_MILLIS: return phys == PQ_INT32 ? fl_type_make(FL_TYPE_TIME) : physical;
        case PQ_CT_TIME_MICROS: return phys == PQ_INT64 ? fl_type_make(FL_TYPE_TIME) : physical;
        case PQ_CT_TIMESTAMP_MILLIS:
        case PQ_CT_TIMESTAMP_MICROS:
            return phys == PQ_INT64 ? fl_type_make(FL_TYPE_TIMESTAMPTZ) : physical;
        case PQ_CT_INT_8: case PQ_CT_INT_16: case PQ_CT_INT_32:
        case PQ_CT_UINT_8: case PQ_CT_UINT_16: case PQ_CT_UINT_32:
            if (phys != PQ_INT32) return physical;
            switch (el->converted_type) {
            case PQ_CT_INT_8: return fl_type_make(FL_TYPE_INT8);
            case PQ_CT_INT_16: return fl_type_make(FL_TYPE_INT16);
            case PQ_CT_INT_32: return fl_type_make(FL_TYPE_INT32);
            case PQ_CT_UINT_8: return fl_type_make(FL_TYPE_UINT8);
            case PQ_CT_UINT_16: return fl_type_make(FL_TYPE_UINT16);
            default: return fl_type_make(FL_TYPE_UINT32);
            }
        case PQ_CT_INT_64: return phys == PQ_INT64 ? fl_type_make(FL_TYPE_INT64) : physical;
        case PQ_CT_UINT_64: return phys == PQ_INT64 ? fl_type_make(FL_TYPE_UINT64) : physical;
        case PQ_CT_DECIMAL:
            precision = el->precision;
            scale = el->scale;
            break;
        default:
            return physical;
        }
    }
    /* DECIMAL */
    if (precision < 1 || precision > FL_DECIMAL_MAX_PRECISION || scale < 0 || scale > precision)
        return physical;
    if (phys == PQ_INT32 && precision > 9) return physical;
    if (phys == PQ_INT64 && precision > 18) return physical;
    if (!bytes && phys != PQ_INT32 && phys != PQ_INT64) return physical;
    if (phys == PQ_FIXED_LEN_BYTE_ARRAY && (el->type_length < 1 || el->type_length > 16))
        return physical;
    return fl_type_decimal(precision, scale);
}

static bool is_list(const pq_schema_element *el)
{
    return el->logical.kind == PQ_LT_LIST || el->converted_type == PQ_CT_LIST;
}

static bool is_map(const pq_schema_element *el)
{
    return el->logical.kind == PQ_LT_MAP || el->converted_type == PQ_CT_MAP ||
           el->converted_type == PQ_CT_MAP_KEY_VALUE;
}

static void init_field(pq_field *f, const pq_schema_element *el, int16_t def, int16_t rep,
                       bool nullable)
{
    memset(f, 0, sizeof *f);
    f->name = el->name ? el->name : "";
    f->nullable = nullable;
    f->field_id = el->field_id;
    f->has_field_id = el->has_field_id;
    f->leaf_index = -1;
    f->max_def = def;
    f->max_rep = rep;
    f->physical_type = el->type;
    f->type_length = el->type_length;
    f->element = el;
}

/* Builds a primitive or group node as if it were not repeated (element of a
 * list whose repeated layer is this very element). */
static int build_leaf(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, bool nullable)
{
    const pq_schema_element *el = &b->meta->schema[idx];
    if (el->type < PQ_BOOLEAN || el->type > PQ_FIXED_LEN_BYTE_ARRAY)
        return corrupt(b, "unknown physical type", idx);
    if (el->type == PQ_FIXED_LEN_BYTE_ARRAY && (el->type_length < 0 || el->type_length > (1 << 24)))
        return corrupt(b, "bad FIXED_LEN_BYTE_ARRAY length", idx);
    init_field(out, el, def, rep, nullable);
    out->type = leaf_type(el);
    out->leaf_index = b->next_leaf++;
    return 0;
}

static int build_children(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                          int *next)
{
    const pq_schema_element *el = &b->meta->schema[idx];
    out->type = fl_type_make(FL_TYPE_STRUCT);
    if (el->num_children <= 0) return corrupt(b, "group without children", idx);
    out->children = fl_arena_calloc(b->arena, (size_t)el->num_children * sizeof(pq_field));
    if (!out->children) return FLOE_ENOMEM;
    out->n_children = (uint32_t)el->num_children;
    int pos = idx + 1;
    for (int32_t i = 0; i < el->num_children; i++)
        FL_TRY(build_node(b, pos, &out->children[i], def, rep, depth + 1, false, &pos));
    *next = pos;
    return 0;
}

/* The node at idx as a required element in context (def, rep), ignoring its
 * own REPEATED repetition (that layer was accounted by the caller). */
static int build_element(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                         int *next)
{
    const pq_schema_element *el = &b->meta->schema[idx];
    if (el->num_children == 0) {
        *next = idx + 1;
        return build_leaf(b, idx, out, def, rep, false);
    }
    return build_node(b, idx, out, def, rep, depth, true, next);
}

/* LIST/MAP groups: `el` at idx is the annotated group, already counted in def. */
static int build_list(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                      int *next)
{
    const pq_schema_element *el = &b->meta->schema[idx];
    if (el->num_children != 1) return corrupt(b, "LIST group must have exactly one child", idx);
    int ridx = idx + 1;
    if (ridx >= b->meta->n_schema) return corrupt(b, "schema ends inside a LIST", idx);
    const pq_schema_element *r = &b->meta->schema[ridx];
    if (r->repetition != PQ_REPEATED) {
        /* Not a list at all (some writers annotate plain groups): a struct. */
        return build_children(b, idx, out, def, rep, depth, next);
    }
    out->type = fl_type_make(FL_TYPE_LIST);
    out->children = fl_arena_calloc(b->arena, sizeof(pq_field));
    if (!out->children) return FLOE_ENOMEM;
    out->n_children = 1;
    int16_t edef = (int16_t)(def + 1), erep = (int16_t)(rep + 1);
    if (edef > MAX_LEVEL || erep > MAX_LEVEL) return corrupt(b, "schema nested too deeply", idx);
    size_t nlen = strlen(out->name);
    bool repeated_is_element =
        r->num_children == 0 || r->num_children > 1 || (r->name && strcmp(r->name, "array") == 0) ||
        (r->name && strlen(r->name) == nlen + 6 && strncmp(r->name, out->name, nlen) == 0 &&
         strcmp(r->name + nlen, "_tuple") == 0);
    if (repeated_is_element) return build_element(b, ridx, &out->children[0], edef, erep, depth + 1, next);
    /* 3-level: the repeated group's only child is the element. */
    int pos = ridx + 1;
    FL_TRY(build_node(b, pos, &out->children[0], edef, erep, depth + 1, false, &pos));
    *next = pos;
    return 0;
}

static int build_map(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                     int *next)
{
    const pq_schema_element *el = &b->meta->schema[idx];
    int ridx = idx + 1;
    if (el->num_children != 1 || ridx >= b->meta->n_schema)
        return corrupt(b, "MAP group must have exactly one child", idx);
    const pq_schema_element *r = &b->meta->schema[ridx];
    if (r->repetition != PQ_REPEATED || r->num_children < 1 || r->num_children > 2) {
        if (el->converted_type == PQ_CT_MAP_KEY_VALUE || r->repetition != PQ_REPEATED)
            return build_children(b, idx, out, def, rep, depth, next);
        return corrupt(b, "MAP key_value group must be repeated with a key and a value", idx);
    }
    int16_t edef = (int16_t)(def + 1), erep = (int16_t)(rep + 1);
    if (edef > MAX_LEVEL || erep > MAX_LEVEL) return corrupt(b, "schema nested too deeply", idx);
    out->children = fl_arena_calloc(b->arena, 2 * sizeof(pq_field));
    if (!out->children) return FLOE_ENOMEM;
    int pos = ridx + 1;
    if (r->num_children == 1) {
        /* A map without values: read as a list of its keys. */
        out->type = fl_type_make(FL_TYPE_LIST);
        out->n_children = 1;
        FL_TRY(build_node(b, pos, &out->children[0], edef, erep, depth + 1, false, &pos));
    } else {
        out->type = fl_type_make(FL_TYPE_MAP);
        out->n_children = 2;
        FL_TRY(build_node(b, pos, &out->children[0], edef, erep, depth + 1, false, &pos));
        FL_TRY(build_node(b, pos, &out->children[1], edef, erep, depth + 1, false, &pos));
    }
    *next = pos;
    return 0;
}

/* Builds the node at idx in context (def, rep) = levels of its parent. */
static int build_node(builder *b, int idx, pq_field *out, int16_t def, int16_t rep, int depth,
                      bool force_required, int *next)
{
    if (depth > 100) return corrupt(b, "schema nested too deeply", idx);
    if (idx >= b->meta->n_schema) return corrupt(b, "schema ends early", idx);
    const pq_schema_element *el = &b->meta->schema[idx];
    if (el->num_children < 0) return corrupt(b, "negative child count", idx);
    int repetition = force_required ? PQ_REQUIRED : el->repetition;
    if (repetition == PQ_REPEATED) {
        /* A repeated field outside LIST/MAP: required list of required elements. */
        init_field(out, el, def, rep, false);
        out->type = fl_type_make(FL_TYPE_LIST);
        out->leaf_index = -1;
        out->children = fl_arena_calloc(b->arena, sizeof(pq_field));
        if (!out->children) return FLOE_ENOMEM;
        out->n_children = 1;
        int16_t edef = (int16_t)(def + 1), erep = (int16_t)(rep + 1);
        if (edef > MAX_LEVEL || erep > MAX_LEVEL) return corrupt(b, "schema nested too deeply", idx);
        return build_element(b, idx, &out->children[0], edef, erep, depth + 1, next);
    }
    bool nullable = repetition == PQ_OPTIONAL;
    int16_t mydef = (int16_t)(def + (nullable ? 1 : 0));
    if (mydef > MAX_LEVEL) return corrupt(b, "schema nested too deeply", idx);
    if (el->num_children == 0) {
        *next = idx + 1;
        return build_leaf(b, idx, out, mydef, rep, nullable);
    }
    init_field(out, el, mydef, rep, nullable);
    out->physical_type = -1;
    if (is_list(el)) return build_list(b, idx, out, mydef, rep, depth, next);
    if (is_map(el)) return build_map(b, idx, out, mydef, rep, depth, next);
    return build_children(b, idx, out, mydef, rep, depth, next);
}

int pq_schema_build(pq_field **root, const pq_file_meta *meta, fl_arena *arena, fl_error *err)
{
    builder b = {meta, arena, err, 0};
    *root = NULL;
    if (meta->n_schema < 1) return corrupt(&b, "empty schema", 0);
    if (subtree_end(meta, 0, 0) != meta->n_schema)
        return corrupt(&b, "child counts do not match the element list", 0);
    pq_field *r = fl_arena_calloc(arena, sizeof *r);
    if (!r) return FLOE_ENOMEM;
    const pq_schema_element *el = &meta->schema[0];
    init_field(r, el, 0, 0, false);
    r->type = fl_type_make(FL_TYPE_STRUCT);
    r->physical_type = -1;
    if (el->num_children > 0) {
        r->children = fl_arena_calloc(arena, (size_t)el->num_children * sizeof(pq_field));
        if (!r->children) return FLOE_ENOMEM;
        r->n_children = (uint32_t)el->num_children;
        int pos = 1;
        for (int32_t i = 0; i < el->num_children; i++)
            FL_TRY(build_node(&b, pos, &r->children[i], 0, 0, 1, false, &pos));
    }
    *root = r;
    return 0;
}

int pq_field_leaf_count(const pq_field *field)
{
    if (field->leaf_index >= 0 && field->n_children == 0) return 1;
    int n = 0;
    for (uint32_t i = 0; i < field->n_children; i++) n += pq_field_leaf_count(&field->children[i]);
    return n;
}
