/*
 * ex_explain.c: EXPLAIN of the physical plan: one operator per line,
 * children indented by two spaces under their parent, with the operator's
 * own detail (expressions, join conditions) and the optimizer's row
 * estimate when it has one:
 *
 *   PROJECTION a + 1
 *     FILTER (a > 3)  ~12 rows
 *       TABLE_SCAN default.t
 *
 * EXPLAIN ANALYZE (ex_explain_analyze, the profile of ex_profile.h) adds to
 * each line the rows the operator produced, the CPU time spent in it
 * (summed over threads) and its share of the query's CPU time, then the
 * totals:
 *
 *   FILTER (a > 3)  ~12 rows  (actual rows=10 cpu=0.210 ms 4.1%)
 *   ...
 *   result collector: cpu=0.010 ms 0.2%
 *   pipeline runner: cpu=0.020 ms 0.4%
 *   other: building pipelines and chunks and waking threads: cpu=0.120 ms 2.3%
 *   total: rows=10 wall=3.100 ms cpu=5.120 ms threads=2 pipelines=3 clock_reads=42
 */
#include "ex_profile.h"
#include "ex_spine.h"

static int explain_rec(fl_buf *out, const ex_op *op, int depth, const ex_profile *prof,
                       fl_error *err);

static double ms(int64_t ns) { return (double)ns / 1e6; }
static double share(int64_t ns, const ex_profile *prof)
{
    return prof->cpu_ns > 0 ? 100.0 * (double)ns / (double)prof->cpu_ns : 0.0;
}

static const ex_profile_op *find_entry(const ex_profile *prof, const ex_op *op)
{
    for (uint32_t i = 0; i < prof->count; i++)
        if (prof->ops[i].op == op) return &prof->ops[i];
    return NULL;
}

static int explain_line(fl_buf *out, const ex_op *op, int depth, const ex_profile *prof,
                        fl_error *err)
{
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
    const ex_profile_op *e = prof ? find_entry(prof, op) : NULL;
    if (e && fl_buf_appendf(out, "  (actual rows=%lld cpu=%.3f ms %.1f%%)", (long long)e->rows,
                            ms(e->cpu_ns), share(e->cpu_ns, prof)) < 0)
        goto oom;
    if (fl_buf_append_byte(out, '\n') < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory explaining a plan");
}

static int explain_rec(fl_buf *out, const ex_op *op, int depth, const ex_profile *prof,
                       fl_error *err)
{
    if (depth > 2000) return fl_error_set(err, FLOE_ELIMIT, "plan is too deep to explain");
    FL_TRY(explain_line(out, op, depth, prof, err));
    for (uint32_t i = 0; i < op->child_count; i++)
        if (op->children[i]) FL_TRY(explain_rec(out, op->children[i], depth + 1, prof, err));
    return 0;
}

int ex_explain(fl_buf *out, const ex_op *root, fl_error *err)
{
    return explain_rec(out, root, 0, NULL, err);
}

int ex_explain_analyze(fl_buf *out, const ex_op *root, const ex_profile *prof, fl_error *err)
{
    FL_TRY(explain_rec(out, root, 0, prof, err));
    int64_t ops_ns = prof->collector_ns + prof->runner_ns;
    for (uint32_t i = 0; i < prof->count; i++) ops_ns += prof->ops[i].cpu_ns;
    /* clocks differ in granularity: never print a negative remainder */
    int64_t other_ns = prof->cpu_ns > ops_ns ? prof->cpu_ns - ops_ns : 0;
    if (fl_buf_appendf(out, "result collector: cpu=%.3f ms %.1f%%\n", ms(prof->collector_ns),
                       share(prof->collector_ns, prof)) < 0 ||
        fl_buf_appendf(out, "pipeline runner: cpu=%.3f ms %.1f%%\n", ms(prof->runner_ns),
                       share(prof->runner_ns, prof)) < 0 ||
        fl_buf_appendf(out, "other: building pipelines and chunks and waking threads: cpu=%.3f ms %.1f%%\n",
                       ms(other_ns), share(other_ns, prof)) < 0 ||
        fl_buf_appendf(out, "total: rows=%lld wall=%.3f ms cpu=%.3f ms threads=%d pipelines=%u "
                            "clock_reads=%lld\n",
                       (long long)prof->rows, ms(prof->wall_ns), ms(prof->cpu_ns), prof->threads,
                       prof->pipelines, (long long)prof->clock_reads) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory explaining a plan");
    return 0;
}
