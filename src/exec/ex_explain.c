/*
 * ex_explain.c: EXPLAIN of the physical plan: one operator per line,
 * children indented by two spaces under their parent, with the operator's
 * own detail (expressions, join conditions) and the optimizer's row
 * estimate when it has one:
 *
 *   PROJECTION a + 1
 *     FILTER (a > 3)  ~12 rows
 *       TABLE_SCAN default.t
 */
#include "ex_spine.h"

static int explain_rec(fl_buf *out, const ex_op *op, int depth, fl_error *err)
{
    if (depth > 2000) return fl_error_set(err, FLOE_ELIMIT, "plan is too deep to explain");
    for (int i = 0; i < depth; i++)
        if (fl_buf_append_str(out, "  ") < 0) goto oom;
    if (fl_buf_append_str(out, op->vt->name) < 0) goto oom;
    if (op->vt->explain) {
        size_t mark = out->len;
        if (fl_buf_append_byte(out, ' ') < 0) goto oom;
        FL_TRY(op->vt->explain(op, out, err));
        if (out->len == mark + 1) out->len = mark;   /* nothing to say */
        if (out->data) out->data[out->len] = '\0';
    }
    if (op->estimated_rows > 0 && fl_buf_appendf(out, "  ~%.0f rows", op->estimated_rows) < 0)
        goto oom;
    if (fl_buf_append_byte(out, '\n') < 0) goto oom;
    for (uint32_t i = 0; i < op->child_count; i++)
        if (op->children[i]) FL_TRY(explain_rec(out, op->children[i], depth + 1, err));
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory explaining a plan");
}

int ex_explain(fl_buf *out, const ex_op *root, fl_error *err)
{
    return explain_rec(out, root, 0, err);
}
