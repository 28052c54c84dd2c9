/*
 * render.c: CSV fields and JSON values of decoded columns (see render.h);
 * a thin layer over value_text.h that adds the CSV NULL/empty-string rules.
 */
#include "render.h"

#include "../base/value_text.h"

int render_json_value(fl_buf *out, const fl_column *col, size_t row)
{
    fl_text_style style = fl_text_style_make(FL_TEXT_JSON, 0);
    return fl_column_render(out, col, row, &style);
}

int render_json_string(fl_buf *out, const char *p, size_t len)
{
    fl_value v = {0};
    v.type = fl_type_make(FL_TYPE_STRING);
    v.v.s = fl_strv_make(p, len);
    fl_text_style style = fl_text_style_make(FL_TEXT_JSON, 0);
    return fl_value_render(out, &v, &style);
}

int render_csv_field(fl_buf *out, fl_buf *scratch, const fl_column *col, size_t row, char delimiter)
{
    if (!fl_column_is_valid(col, row) || col->type.id == FL_TYPE_NULL) return 0;
    if (col->type.id == FL_TYPE_STRING) {
        fl_strv s = ((const fl_strv *)col->data)[row];
        return fl_csv_append_field(out, s.ptr, s.len, delimiter, '"', true);
    }
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_buf_reset(scratch);
    int rc = fl_column_render(scratch, col, row, &style);
    if (rc < 0) return rc;
    return fl_csv_append_field(out, scratch->data ? scratch->data : "", scratch->len, delimiter, '"',
                               false);
}

int render_scalar_text(fl_buf *out, const fl_value *v)
{
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    return fl_value_render(out, v, &style);
}
