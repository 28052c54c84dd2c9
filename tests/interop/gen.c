/*
 * gen.c: floe-interop-gen, writes the nested-type Parquet files of the
 * interop suite (flat types come from `floe parquet write` on CSV).
 *
 * usage: floe-interop-gen OUT.parquet CODEC [ROWS [ROW_GROUP_BYTES]]
 *
 * Columns (every pattern is a function of the row number, with NULLs and
 * empty collections at every level):
 *   id   bigint not null
 *   s    struct<a int, b varchar>
 *   l    list<bigint>
 *   m    map<varchar, int>
 *   ls   list<struct<x double, y list<varchar>>>
 *   sl   struct<tags list<varchar>, inner struct<z date, u uuid>>
 *   mi   map<int, list<bigint>> not null
 * tests/interop/check.mjs reads the result with DuckDB and hyparquet and
 * compares with `floe parquet cat --format json`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/arena.h"
#include "../../src/base/column.h"
#include "../../src/format/parquet/pq_codec.h"
#include "../../src/format/parquet/pq_writer.h"

static void die_oom(void)
{
    fprintf(stderr, "floe-interop-gen: out of memory\n");
    exit(1);
}

static void grow(fl_column *c)
{
    if (fl_column_reserve(c, c->len + 1) < 0) die_oom();
}

static void push_null(fl_column *c)
{
    grow(c);
    if (fl_column_set_null(c, c->len) < 0) die_oom();
    if (c->offsets) c->offsets[c->len + 1] = c->offsets[c->len];
    if (c->type.id == FL_TYPE_STRUCT)
        for (uint32_t i = 0; i < c->child_count; i++) push_null(c->children[i]);
    c->len++;
}

static void push_i64(fl_column *c, int64_t v)
{
    grow(c);
    switch (c->type.id) {
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: ((int32_t *)c->data)[c->len] = (int32_t)v; break;
    default: ((int64_t *)c->data)[c->len] = v; break;
    }
    c->len++;
}

static void push_f64(fl_column *c, double v)
{
    grow(c);
    ((double *)c->data)[c->len++] = v;
}

static void push_bytes(fl_column *c, const char *p, size_t len)
{
    grow(c);
    fl_strv s;
    if (fl_column_copy_str(c, p, len, &s) < 0) die_oom();
    ((fl_strv *)c->data)[c->len++] = s;
}

static void push_str(fl_column *c, const char *s) { push_bytes(c, s, strlen(s)); }

/* Closes a LIST/MAP row holding the n child values pushed since the last. */
static void push_list(fl_column *c, int64_t n)
{
    grow(c);
    c->offsets[c->len + 1] = c->offsets[c->len] + n;
    c->len++;
}

static void push_struct(fl_column *c)
{
    grow(c);
    c->len++;
}

static fl_column *col(fl_arena *a, fl_type t, const char *name)
{
    fl_column *c = fl_column_new(a, t, 16);
    if (!c) die_oom();
    c->name = name;
    return c;
}

static void add(fl_column *parent, fl_column *child)
{
    if (fl_column_add_child(parent, child) < 0) die_oom();
}

/* ---- the schema, mirroring the columns ----------------------------- */

static int32_t next_id = 1;

static pq_field leaf(const char *name, fl_type t, bool nullable)
{
    pq_field f = {0};
    f.name = name;
    f.type = t;
    f.nullable = nullable;
    f.field_id = next_id++;
    f.has_field_id = true;
    f.leaf_index = -1;
    return f;
}

static pq_field group(const char *name, fl_type_id id, bool nullable, pq_field *kids, uint32_t n)
{
    pq_field f = leaf(name, fl_type_make(id), nullable);
    pq_field *copy = malloc(n * sizeof *copy);
    if (!copy) die_oom();
    memcpy(copy, kids, n * sizeof *copy);
    f.children = copy;
    f.n_children = n;
    return f;
}

static pq_field build_schema(void)
{
    fl_type i32 = fl_type_make(FL_TYPE_INT32), i64 = fl_type_make(FL_TYPE_INT64),
            str = fl_type_make(FL_TYPE_STRING);
    pq_field top[7];
    top[0] = leaf("id", i64, false);
    pq_field s_kids[] = {leaf("a", i32, true), leaf("b", str, true)};
    top[1] = group("s", FL_TYPE_STRUCT, true, s_kids, 2);
    pq_field l_kids[] = {leaf("element", i64, true)};
    top[2] = group("l", FL_TYPE_LIST, true, l_kids, 1);
    pq_field m_kids[] = {leaf("key", str, false), leaf("value", i32, true)};
    top[3] = group("m", FL_TYPE_MAP, true, m_kids, 2);
    pq_field y_kids[] = {leaf("element", str, true)};
    pq_field e_kids[] = {leaf("x", fl_type_make(FL_TYPE_DOUBLE), true),
                         group("y", FL_TYPE_LIST, true, y_kids, 1)};
    pq_field ls_kids[] = {group("element", FL_TYPE_STRUCT, true, e_kids, 2)};
    top[4] = group("ls", FL_TYPE_LIST, true, ls_kids, 1);
    pq_field tags_kids[] = {leaf("element", str, true)};
    pq_field inner_kids[] = {leaf("z", fl_type_make(FL_TYPE_DATE), true),
                             leaf("u", fl_type_make(FL_TYPE_UUID), true)};
    pq_field sl_kids[] = {group("tags", FL_TYPE_LIST, true, tags_kids, 1),
                          group("inner", FL_TYPE_STRUCT, true, inner_kids, 2)};
    top[5] = group("sl", FL_TYPE_STRUCT, true, sl_kids, 2);
    pq_field v_kids[] = {leaf("element", i64, true)};
    pq_field mi_kids[] = {leaf("key", i32, false), group("value", FL_TYPE_LIST, true, v_kids, 1)};
    top[6] = group("mi", FL_TYPE_MAP, false, mi_kids, 2);
    pq_field root = {0};
    root.name = "schema";
    root.type = fl_type_make(FL_TYPE_STRUCT);
    root.leaf_index = -1;
    root.children = malloc(sizeof top);
    if (!root.children) die_oom();
    memcpy(root.children, top, sizeof top);
    root.n_children = 7;
    return root;
}

static void free_schema(pq_field *f)
{
    for (uint32_t i = 0; i < f->n_children; i++) free_schema(&f->children[i]);
    free(f->children);
}

/* ---- the rows ------------------------------------------------------ */

static const char *const words[] = {"alpha", "", "ünïcödé", "日本語", "emoji 😀", "comma,quote\"",
                                    "line\nbreak", "tab\there"};

static void gen_rows(fl_arena *a, fl_column **cols, int64_t first, int64_t n)
{
    fl_type i32 = fl_type_make(FL_TYPE_INT32), i64 = fl_type_make(FL_TYPE_INT64),
            str = fl_type_make(FL_TYPE_STRING);
    fl_column *id = cols[0] = col(a, i64, "id");
    fl_column *s = cols[1] = col(a, fl_type_make(FL_TYPE_STRUCT), "s");
    add(s, col(a, i32, "a"));
    add(s, col(a, str, "b"));
    fl_column *l = cols[2] = col(a, fl_type_make(FL_TYPE_LIST), "l");
    add(l, col(a, i64, "element"));
    fl_column *m = cols[3] = col(a, fl_type_make(FL_TYPE_MAP), "m");
    add(m, col(a, str, "key"));
    add(m, col(a, i32, "value"));
    fl_column *ls = cols[4] = col(a, fl_type_make(FL_TYPE_LIST), "ls");
    fl_column *e = col(a, fl_type_make(FL_TYPE_STRUCT), "element");
    add(ls, e);
    add(e, col(a, fl_type_make(FL_TYPE_DOUBLE), "x"));
    fl_column *y = col(a, fl_type_make(FL_TYPE_LIST), "y");
    add(e, y);
    add(y, col(a, str, "element"));
    fl_column *sl = cols[5] = col(a, fl_type_make(FL_TYPE_STRUCT), "sl");
    fl_column *tags = col(a, fl_type_make(FL_TYPE_LIST), "tags");
    add(sl, tags);
    add(tags, col(a, str, "element"));
    fl_column *inner = col(a, fl_type_make(FL_TYPE_STRUCT), "inner");
    add(sl, inner);
    add(inner, col(a, fl_type_make(FL_TYPE_DATE), "z"));
    add(inner, col(a, fl_type_make(FL_TYPE_UUID), "u"));
    fl_column *mi = cols[6] = col(a, fl_type_make(FL_TYPE_MAP), "mi");
    add(mi, col(a, i32, "key"));
    fl_column *mv = col(a, fl_type_make(FL_TYPE_LIST), "value");
    add(mi, mv);
    add(mv, col(a, i64, "element"));

    char text[64];
    for (int64_t i = first; i < first + n; i++) {
        push_i64(id, i);
        /* s */
        if (i % 7 == 3) push_null(s);
        else {
            if (i % 5 == 0) push_null(s->children[0]);
            else push_i64(s->children[0], i * 3 - 50);
            if (i % 4 == 2) push_null(s->children[1]);
            else push_str(s->children[1], words[i % 8]);
            push_struct(s);
        }
        /* l */
        if (i % 6 == 1) push_null(l);
        else if (i % 6 == 2) push_list(l, 0);
        else {
            int64_t k_n = i % 4 + 1;
            for (int64_t k = 0; k < k_n; k++) {
                if (k == 1 && i % 3 == 0) push_null(l->children[0]);
                else push_i64(l->children[0], (i * 100 + k) * (k % 2 ? -1 : 1) * 1000003LL);
            }
            push_list(l, k_n);
        }
        /* m */
        if (i % 5 == 4) push_null(m);
        else {
            int64_t k_n = i % 5 == 0 ? 0 : i % 3 + 1;
            for (int64_t k = 0; k < k_n; k++) {
                snprintf(text, sizeof text, "k%lld", (long long)k);
                push_str(m->children[0], text);
                if (k == 2) push_null(m->children[1]);
                else push_i64(m->children[1], k * i);
            }
            push_list(m, k_n);
        }
        /* ls */
        if (i % 4 == 0) push_null(ls);
        else {
            int64_t k_n = i % 3;
            for (int64_t k = 0; k < k_n; k++) {
                if ((i + k) % 5 == 0) push_null(e);
                else {
                    push_f64(e->children[0], (double)i + (double)k / 4.0 + 0.1);
                    if (k == 1) push_null(y);
                    else {
                        for (int64_t j = 0; j <= k + i % 2; j++) {
                            snprintf(text, sizeof text, "y%lld_%lld", (long long)i, (long long)j);
                            push_str(y->children[0], text);
                        }
                        push_list(y, k + i % 2 + 1);
                    }
                    push_struct(e);
                }
            }
            push_list(ls, k_n);
        }
        /* sl */
        if (i % 9 == 8) push_null(sl);
        else {
            if (i % 5 == 1) push_null(tags);
            else {
                int64_t k_n = i % 3;
                for (int64_t k = 0; k < k_n; k++) {
                    if (k == 1 && i % 2) push_null(tags->children[0]);
                    else push_str(tags->children[0], words[(i + k) % 8]);
                }
                push_list(tags, k_n);
            }
            if (i % 4 == 1) push_null(inner);
            else {
                if (i % 6 == 0) push_null(inner->children[0]);
                else push_i64(inner->children[0], 19000 + i * 37 - 2000);
                if (i % 5 == 3) push_null(inner->children[1]);
                else {
                    uint8_t u[16];
                    for (int b = 0; b < 16; b++) u[b] = (uint8_t)(i * 31 + b * 17);
                    push_bytes(inner->children[1], (const char *)u, 16);
                }
                push_struct(inner);
            }
            push_struct(sl);
        }
        /* mi */
        int64_t k_n = i % 3;
        for (int64_t k = 0; k < k_n; k++) {
            push_i64(mi->children[0], (int32_t)(i * 10 + k));
            if (k == 1) push_null(mv);
            else {
                for (int64_t j = 0; j < k + 1; j++) push_i64(mv->children[0], i - j);
                push_list(mv, k + 1);
            }
        }
        push_list(mi, k_n);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: floe-interop-gen OUT.parquet CODEC [ROWS [ROW_GROUP_BYTES]]\n");
        return 2;
    }
    fl_error err;
    int codec;
    if (pq_codec_parse(argv[2], &codec, &err) < 0) {
        fprintf(stderr, "floe-interop-gen: %s\n", err.message);
        return 2;
    }
    int64_t rows = argc > 3 ? strtoll(argv[3], NULL, 10) : 100;
    size_t rg_bytes = argc > 4 ? (size_t)strtoull(argv[4], NULL, 10) : 0;
    pq_field root = build_schema();
    io_writer *dst = NULL;
    pq_writer *w = NULL;
    fl_arena *arena = fl_arena_new(0);
    int rc = arena ? 0 : fl_error_set(&err, FLOE_ENOMEM, "out of memory");
    pq_writer_opts opts;
    pq_writer_opts_init(&opts);
    opts.codec = codec;
    opts.row_group_bytes = rg_bytes;
    if (rc == 0) rc = io_create_local(argv[1], 0, &dst, &err);
    if (rc == 0) rc = pq_writer_new(&w, dst, &root, &opts, &err);
    /* several batches, so that batches and row groups do not line up */
    for (int64_t first = 0; rc == 0 && first < rows; first += 37) {
        fl_column *cols[7];
        int64_t n = rows - first < 37 ? rows - first : 37;
        fl_arena_reset(arena);
        gen_rows(arena, cols, first, n);
        rc = pq_writer_write(w, cols, (size_t)n, &err);
    }
    if (rc == 0) rc = pq_writer_close(w, &err);
    if (rc == 0) {
        io_writer *closing = dst;
        dst = NULL;
        rc = io_writer_close(closing, &err);
    }
    if (dst) io_writer_abort(dst);
    pq_writer_free(w);
    fl_arena_free(arena);
    free_schema(&root);
    if (rc < 0) {
        fprintf(stderr, "floe-interop-gen: %s\n", err.message);
        return 1;
    }
    return 0;
}
