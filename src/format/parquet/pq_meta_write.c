/*
 * pq_meta_write.c: encodes FileMetaData and PageHeader (pq_meta.h) in the
 * Thrift compact protocol, the inverse of pq_meta_read.c.
 *
 * Everything the model holds is written, in field-id order, so floe's writer
 * emits complete footers: statistics (old and new min/max fields, exactness
 * flags), key-value metadata on the file and on column chunks, field ids,
 * LogicalType together with its ConvertedType counterpart, and one
 * TypeDefinedOrder per ColumnOrder entry. What the model only flags
 * (encryption, PQ_LT_OTHER) is not written. The thrift writer's failure flag
 * (out of memory, nesting) is checked once at the end.
 */
#include "pq_meta.h"

#include <string.h>

#include "thrift.h"

int pq_logical_converted_type(const pq_logical_type *lt)
{
    switch (lt->kind) {
    case PQ_LT_STRING: return PQ_CT_UTF8;
    case PQ_LT_MAP: return PQ_CT_MAP;
    case PQ_LT_LIST: return PQ_CT_LIST;
    case PQ_LT_ENUM: return PQ_CT_ENUM;
    case PQ_LT_DECIMAL: return PQ_CT_DECIMAL;
    case PQ_LT_DATE: return PQ_CT_DATE;
    case PQ_LT_JSON: return PQ_CT_JSON;
    case PQ_LT_BSON: return PQ_CT_BSON;
    case PQ_LT_TIME:
        /* local times too: parquet-format asks writers to annotate them the same way */
        return lt->unit == PQ_UNIT_MILLIS ? PQ_CT_TIME_MILLIS
             : lt->unit == PQ_UNIT_MICROS ? PQ_CT_TIME_MICROS : PQ_CT_NONE;
    case PQ_LT_TIMESTAMP:
        return lt->unit == PQ_UNIT_MILLIS ? PQ_CT_TIMESTAMP_MILLIS
             : lt->unit == PQ_UNIT_MICROS ? PQ_CT_TIMESTAMP_MICROS : PQ_CT_NONE;
    case PQ_LT_INTEGER:
        switch (lt->bit_width) {
        case 8: return lt->is_signed ? PQ_CT_INT_8 : PQ_CT_UINT_8;
        case 16: return lt->is_signed ? PQ_CT_INT_16 : PQ_CT_UINT_16;
        case 32: return lt->is_signed ? PQ_CT_INT_32 : PQ_CT_UINT_32;
        case 64: return lt->is_signed ? PQ_CT_INT_64 : PQ_CT_UINT_64;
        default: return PQ_CT_NONE;
        }
    default: return PQ_CT_NONE;
    }
}

static void write_statistics(thrift_out *o, int16_t id, const pq_statistics *st)
{
    thrift_write_struct_begin(o, id);
    if (st->has_max) thrift_write_binary_field(o, 1, st->max.ptr, st->max.len);
    if (st->has_min) thrift_write_binary_field(o, 2, st->min.ptr, st->min.len);
    if (st->has_null_count) thrift_write_i64_field(o, 3, st->null_count);
    if (st->has_distinct_count) thrift_write_i64_field(o, 4, st->distinct_count);
    if (st->has_max_value) thrift_write_binary_field(o, 5, st->max_value.ptr, st->max_value.len);
    if (st->has_min_value) thrift_write_binary_field(o, 6, st->min_value.ptr, st->min_value.len);
    if (st->has_is_max_value_exact) thrift_write_bool_field(o, 7, st->is_max_value_exact);
    if (st->has_is_min_value_exact) thrift_write_bool_field(o, 8, st->is_min_value_exact);
    thrift_write_struct_end(o);
}

static void write_kv_list(thrift_out *o, int16_t id, const pq_kv *kv, int32_t n)
{
    thrift_write_list_begin(o, id, THRIFT_STRUCT, (uint32_t)n);
    for (int32_t i = 0; i < n; i++) {
        thrift_write_elem_struct_begin(o);
        thrift_write_string_field(o, 1, kv[i].key ? kv[i].key : "");
        if (kv[i].value) thrift_write_string_field(o, 2, kv[i].value);
        thrift_write_struct_end(o);
    }
}

/* An empty struct as union member `id` (StringType, MilliSeconds, ...). */
static void write_empty_member(thrift_out *o, int16_t id)
{
    thrift_write_struct_begin(o, id);
    thrift_write_struct_end(o);
}

static void write_logical_type(thrift_out *o, const pq_logical_type *lt)
{
    thrift_write_struct_begin(o, 10);
    thrift_write_struct_begin(o, (int16_t)lt->kind);
    switch (lt->kind) {
    case PQ_LT_DECIMAL:
        thrift_write_i32_field(o, 1, lt->scale);
        thrift_write_i32_field(o, 2, lt->precision);
        break;
    case PQ_LT_TIME:
    case PQ_LT_TIMESTAMP:
        thrift_write_bool_field(o, 1, lt->is_adjusted_to_utc);
        thrift_write_struct_begin(o, 2);
        write_empty_member(o, (int16_t)lt->unit);
        thrift_write_struct_end(o);
        break;
    case PQ_LT_INTEGER:
        thrift_write_i8_field(o, 1, lt->bit_width);
        thrift_write_bool_field(o, 2, lt->is_signed);
        break;
    default: break;   /* members without fields, or fields floe does not model */
    }
    thrift_write_struct_end(o);
    thrift_write_struct_end(o);
}

static bool writable_logical(const pq_logical_type *lt)
{
    if (lt->kind <= PQ_LT_NONE || lt->kind > PQ_LT_GEOGRAPHY || lt->kind == 9) return false;
    if ((lt->kind == PQ_LT_TIME || lt->kind == PQ_LT_TIMESTAMP) &&
        (lt->unit < PQ_UNIT_MILLIS || lt->unit > PQ_UNIT_NANOS))
        return false;
    return true;
}

static void write_schema_element(thrift_out *o, const pq_schema_element *el)
{
    bool has_logical = writable_logical(&el->logical);
    int ct = el->converted_type;
    if (ct == PQ_CT_NONE && has_logical) ct = pq_logical_converted_type(&el->logical);
    thrift_write_elem_struct_begin(o);
    if (el->type >= 0) thrift_write_i32_field(o, 1, el->type);
    if (el->has_type_length || el->type == PQ_FIXED_LEN_BYTE_ARRAY)
        thrift_write_i32_field(o, 2, el->type_length);
    if (el->repetition != PQ_REP_NONE) thrift_write_i32_field(o, 3, el->repetition);
    thrift_write_string_field(o, 4, el->name ? el->name : "");
    if (el->type < 0 || el->num_children > 0) thrift_write_i32_field(o, 5, el->num_children);
    if (ct != PQ_CT_NONE) thrift_write_i32_field(o, 6, ct);
    if (ct == PQ_CT_DECIMAL || el->precision > 0) {
        bool from_logical = el->logical.kind == PQ_LT_DECIMAL && el->precision <= 0;
        thrift_write_i32_field(o, 7, from_logical ? el->logical.scale : el->scale);
        thrift_write_i32_field(o, 8, from_logical ? el->logical.precision : el->precision);
    }
    if (el->has_field_id) thrift_write_i32_field(o, 9, el->field_id);
    if (has_logical) write_logical_type(o, &el->logical);
    thrift_write_struct_end(o);
}

static void write_column_meta(thrift_out *o, const pq_column_meta *cm)
{
    thrift_write_struct_begin(o, 3);
    thrift_write_i32_field(o, 1, cm->type);
    thrift_write_list_begin(o, 2, THRIFT_I32, (uint32_t)cm->n_encodings);
    for (int32_t i = 0; i < cm->n_encodings; i++) thrift_write_i32(o, cm->encodings[i]);
    thrift_write_list_begin(o, 3, THRIFT_BINARY, (uint32_t)cm->path_len);
    for (int32_t i = 0; i < cm->path_len; i++)
        thrift_write_binary(o, cm->path_in_schema[i], strlen(cm->path_in_schema[i]));
    thrift_write_i32_field(o, 4, cm->codec);
    thrift_write_i64_field(o, 5, cm->num_values);
    thrift_write_i64_field(o, 6, cm->total_uncompressed_size);
    thrift_write_i64_field(o, 7, cm->total_compressed_size);
    if (cm->n_kv > 0) write_kv_list(o, 8, cm->kv, cm->n_kv);
    thrift_write_i64_field(o, 9, cm->data_page_offset);
    if (cm->has_index_page_offset) thrift_write_i64_field(o, 10, cm->index_page_offset);
    if (cm->has_dictionary_page_offset) thrift_write_i64_field(o, 11, cm->dictionary_page_offset);
    if (cm->has_stats) write_statistics(o, 12, &cm->stats);
    if (cm->has_bloom_filter_offset) thrift_write_i64_field(o, 14, cm->bloom_filter_offset);
    if (cm->has_bloom_filter_length) thrift_write_i32_field(o, 15, cm->bloom_filter_length);
    thrift_write_struct_end(o);
}

static void write_column_chunk(thrift_out *o, const pq_column_chunk *cc)
{
    thrift_write_elem_struct_begin(o);
    if (cc->file_path) thrift_write_string_field(o, 1, cc->file_path);
    thrift_write_i64_field(o, 2, cc->file_offset);
    if (cc->has_meta) write_column_meta(o, &cc->meta);
    if (cc->has_offset_index) {
        thrift_write_i64_field(o, 4, cc->offset_index_offset);
        thrift_write_i32_field(o, 5, cc->offset_index_length);
    }
    if (cc->has_column_index) {
        thrift_write_i64_field(o, 6, cc->column_index_offset);
        thrift_write_i32_field(o, 7, cc->column_index_length);
    }
    thrift_write_struct_end(o);
}

static void write_row_group(thrift_out *o, const pq_row_group *rg)
{
    thrift_write_elem_struct_begin(o);
    thrift_write_list_begin(o, 1, THRIFT_STRUCT, (uint32_t)rg->n_columns);
    for (int32_t i = 0; i < rg->n_columns; i++) write_column_chunk(o, &rg->columns[i]);
    thrift_write_i64_field(o, 2, rg->total_byte_size);
    thrift_write_i64_field(o, 3, rg->num_rows);
    if (rg->n_sorting > 0) {
        thrift_write_list_begin(o, 4, THRIFT_STRUCT, (uint32_t)rg->n_sorting);
        for (int32_t i = 0; i < rg->n_sorting; i++) {
            thrift_write_elem_struct_begin(o);
            thrift_write_i32_field(o, 1, rg->sorting[i].column_idx);
            thrift_write_bool_field(o, 2, rg->sorting[i].descending);
            thrift_write_bool_field(o, 3, rg->sorting[i].nulls_first);
            thrift_write_struct_end(o);
        }
    }
    if (rg->has_file_offset) thrift_write_i64_field(o, 5, rg->file_offset);
    if (rg->has_total_compressed_size) thrift_write_i64_field(o, 6, rg->total_compressed_size);
    if (rg->has_ordinal) thrift_write_i16_field(o, 7, rg->ordinal);
    thrift_write_struct_end(o);
}

static int check_counts(const pq_file_meta *m, fl_error *err)
{
    if (m->n_schema < 1 || !m->schema)
        return fl_error_set(err, FLOE_EINVAL, "could not encode parquet file metadata: schema is empty");
    if (m->n_row_groups < 0 || m->n_kv < 0 || m->n_column_orders < 0)
        return fl_error_set(err, FLOE_EINVAL, "could not encode parquet file metadata: negative count");
    for (int32_t g = 0; g < m->n_row_groups; g++) {
        const pq_row_group *rg = &m->row_groups[g];
        if (rg->n_columns < 0 || rg->n_sorting < 0)
            return fl_error_set(err, FLOE_EINVAL,
                                "could not encode parquet row group %d: negative count", (int)g);
        for (int32_t c = 0; c < rg->n_columns; c++) {
            const pq_column_meta *cm = &rg->columns[c].meta;
            if (cm->n_encodings < 0 || cm->path_len < 0 || cm->n_kv < 0)
                return fl_error_set(err, FLOE_EINVAL,
                                    "could not encode parquet column chunk %d of row group %d: "
                                    "negative count", (int)c, (int)g);
        }
    }
    return 0;
}

int pq_file_meta_write(fl_buf *out, const pq_file_meta *m, fl_error *err)
{
    FL_TRY(check_counts(m, err));
    thrift_out o;
    thrift_out_init(&o, out);
    thrift_write_root_begin(&o);
    thrift_write_i32_field(&o, 1, m->version);
    thrift_write_list_begin(&o, 2, THRIFT_STRUCT, (uint32_t)m->n_schema);
    for (int32_t i = 0; i < m->n_schema; i++) write_schema_element(&o, &m->schema[i]);
    thrift_write_i64_field(&o, 3, m->num_rows);
    thrift_write_list_begin(&o, 4, THRIFT_STRUCT, (uint32_t)m->n_row_groups);
    for (int32_t i = 0; i < m->n_row_groups; i++) write_row_group(&o, &m->row_groups[i]);
    if (m->n_kv > 0) write_kv_list(&o, 5, m->kv, m->n_kv);
    if (m->created_by) thrift_write_string_field(&o, 6, m->created_by);
    if (m->n_column_orders > 0) {
        thrift_write_list_begin(&o, 7, THRIFT_STRUCT, (uint32_t)m->n_column_orders);
        for (int32_t i = 0; i < m->n_column_orders; i++) {
            thrift_write_elem_struct_begin(&o);   /* ColumnOrder union */
            write_empty_member(&o, 1);            /* TYPE_ORDER: TypeDefinedOrder {} */
            thrift_write_struct_end(&o);
        }
    }
    thrift_write_struct_end(&o);
    if (o.failed) return fl_error_set(err, FLOE_ENOMEM, "out of memory encoding parquet file metadata");
    return 0;
}

int pq_page_header_write(fl_buf *out, const pq_page_header *h, fl_error *err)
{
    if (h->type < PQ_PAGE_DATA || h->type > PQ_PAGE_DATA_V2)
        return fl_error_set(err, FLOE_EINVAL,
                            "could not encode parquet page header: page type %d is invalid", h->type);
    thrift_out o;
    thrift_out_init(&o, out);
    thrift_write_root_begin(&o);
    thrift_write_i32_field(&o, 1, h->type);
    thrift_write_i32_field(&o, 2, h->uncompressed_page_size);
    thrift_write_i32_field(&o, 3, h->compressed_page_size);
    if (h->has_crc) thrift_write_i32_field(&o, 4, h->crc);
    switch (h->type) {
    case PQ_PAGE_DATA:
        thrift_write_struct_begin(&o, 5);
        thrift_write_i32_field(&o, 1, h->num_values);
        thrift_write_i32_field(&o, 2, h->encoding);
        thrift_write_i32_field(&o, 3, h->definition_level_encoding);
        thrift_write_i32_field(&o, 4, h->repetition_level_encoding);
        if (h->has_stats) write_statistics(&o, 5, &h->stats);
        thrift_write_struct_end(&o);
        break;
    case PQ_PAGE_INDEX:
        thrift_write_struct_begin(&o, 6);
        thrift_write_struct_end(&o);
        break;
    case PQ_PAGE_DICTIONARY:
        thrift_write_struct_begin(&o, 7);
        thrift_write_i32_field(&o, 1, h->num_values);
        thrift_write_i32_field(&o, 2, h->encoding);
        if (h->is_sorted) thrift_write_bool_field(&o, 3, true);
        thrift_write_struct_end(&o);
        break;
    case PQ_PAGE_DATA_V2:
        thrift_write_struct_begin(&o, 8);
        thrift_write_i32_field(&o, 1, h->num_values);
        thrift_write_i32_field(&o, 2, h->num_nulls);
        thrift_write_i32_field(&o, 3, h->num_rows);
        thrift_write_i32_field(&o, 4, h->encoding);
        thrift_write_i32_field(&o, 5, h->definition_levels_byte_length);
        thrift_write_i32_field(&o, 6, h->repetition_levels_byte_length);
        thrift_write_bool_field(&o, 7, h->is_compressed);
        if (h->has_stats) write_statistics(&o, 8, &h->stats);
        thrift_write_struct_end(&o);
        break;
    }
    thrift_write_struct_end(&o);
    if (o.failed) return fl_error_set(err, FLOE_ENOMEM, "out of memory encoding parquet page header");
    return 0;
}
