/*
 * test_writer_stats.c: the column-chunk statistics the Parquet writer puts
 * in the footer: sort orders (signed ints, unsigned ints, unsigned bytes for
 * strings, decimals by value, floats without NaN and with signed zeros),
 * absent min/max for all-NULL and all-NaN chunks, truncation of long byte
 * arrays (inexact), and agreement between dictionary and PLAIN chunks and
 * with the reader's decoded statistics.
 */
#include "../test.h"
#include "test_writer_util.h"

#include <math.h>
#include <stdio.h>

#include "../../../src/base/decimal.h"

typedef struct stats_case {
    fl_arena *arena, *fa;
    fl_buf file;
    const pq_statistics *st;
    pq_file_meta *meta;
} stats_case;

/* Writes col (one nullable column) and points c->st at its chunk statistics. */
static bool write_one(stats_case *c, fl_column *col, bool no_dictionary)
{
    c->fa = fl_arena_new(0);
    fl_buf_init(&c->file);
    pq_field f = tw_leaf("v", col->type, true, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.no_dictionary = no_dictionary;
    fl_error err;
    if (!CHECK_OK(tw_write(&c->file, &root, &col, col->len, 0, &o, &err), &err)) return false;
    tw_check_roundtrip(&c->file, &col, 1, col->len);
    c->meta = tw_footer(&c->file, c->fa);
    if (!CHECK(c->meta != NULL) || !CHECK(c->meta->n_row_groups == 1)) return false;
    const pq_column_meta *cm = &c->meta->row_groups[0].columns[0].meta;
    if (!CHECK(cm->has_stats)) return false;
    c->st = &cm->stats;
    return true;
}

static void case_free(stats_case *c)
{
    fl_buf_dispose(&c->file);
    fl_arena_free(c->fa);
}

static fl_column *col_of(fl_arena *a, fl_type t, size_t n)
{
    fl_column *c = fl_column_new(a, t, n);
    c->len = n;
    return c;
}

static void check_exact(const pq_statistics *st)
{
    CHECK(st->has_is_min_value_exact && st->is_min_value_exact);
    CHECK(st->has_is_max_value_exact && st->is_max_value_exact);
}

TEST(writer_stats_signed_and_unsigned_ints)
{
    fl_arena *a = fl_arena_new(0);
    for (int dict = 0; dict < 2; dict++) {
        fl_column *c = col_of(a, fl_type_make(FL_TYPE_INT32), 4);
        int32_t v[] = {-5, 3, 100, 7};
        memcpy(c->data, v, sizeof v);
        fl_column_set_null(c, 3);
        stats_case sc = {0};
        if (write_one(&sc, c, dict == 0)) {
            int32_t min, max;
            CHECK_EQ(sc.st->min_value.len, 4);
            memcpy(&min, sc.st->min_value.ptr, 4);
            memcpy(&max, sc.st->max_value.ptr, 4);
            CHECK_EQ(min, -5);
            CHECK_EQ(max, 100);
            CHECK_EQ(sc.st->null_count, 1);
            check_exact(sc.st);
            /* the legacy fields too: signed order is what they always meant */
            CHECK(sc.st->has_min && sc.st->has_max);
            CHECK_MEM(sc.st->min.ptr, sc.st->min.len, sc.st->min_value.ptr, 4);
        }
        case_free(&sc);

        fl_column *u = col_of(a, fl_type_make(FL_TYPE_UINT32), 3);
        uint32_t uv[] = {1, 0xFFFFFFFFu, 5};
        memcpy(u->data, uv, sizeof uv);
        stats_case su = {0};
        if (write_one(&su, u, dict == 0)) {
            uint32_t min, max;
            memcpy(&min, su.st->min_value.ptr, 4);
            memcpy(&max, su.st->max_value.ptr, 4);
            CHECK_EQ(min, 1);
            CHECK_EQ(max, 0xFFFFFFFFu);
            CHECK(!su.st->has_min);   /* unsigned order: no legacy fields */
        }
        case_free(&su);

        fl_column *u8 = col_of(a, fl_type_make(FL_TYPE_UINT8), 3);
        uint8_t u8v[] = {200, 3, 100};
        memcpy(u8->data, u8v, sizeof u8v);
        stats_case s8 = {0};
        if (write_one(&s8, u8, dict == 0)) {
            int32_t min, max;
            memcpy(&min, s8.st->min_value.ptr, 4);
            memcpy(&max, s8.st->max_value.ptr, 4);
            CHECK_EQ(min, 3);
            CHECK_EQ(max, 200);
        }
        case_free(&s8);

        fl_column *ts = col_of(a, fl_type_make(FL_TYPE_TIMESTAMPTZ), 3);
        int64_t tv[] = {INT64_C(1700000000000000), INT64_C(-86400000000), 0};
        memcpy(ts->data, tv, sizeof tv);
        stats_case st = {0};
        if (write_one(&st, ts, dict == 0)) {
            int64_t min, max;
            CHECK_EQ(st.st->min_value.len, 8);
            memcpy(&min, st.st->min_value.ptr, 8);
            memcpy(&max, st.st->max_value.ptr, 8);
            CHECK_EQ(min, INT64_C(-86400000000));
            CHECK_EQ(max, INT64_C(1700000000000000));
        }
        case_free(&st);
    }
    fl_arena_free(a);
}

static fl_column *strings(fl_arena *a, fl_type t, const char **v, const size_t *lens, size_t n)
{
    fl_column *c = col_of(a, t, n);
    for (size_t i = 0; i < n; i++) {
        if (!v[i])
            fl_column_set_null(c, i);
        else
            fl_column_copy_str(c, v[i], lens ? lens[i] : strlen(v[i]), &((fl_strv *)c->data)[i]);
    }
    return c;
}

TEST(writer_stats_strings_unsigned_bytes)
{
    fl_arena *a = fl_arena_new(0);
    const char *v[] = {"a", "\xf4\x8f\xbf\xbf", NULL, "Z", "\xc3\xa9", "", "a"};
    for (int dict = 0; dict < 2; dict++) {
        stats_case sc = {0};
        if (write_one(&sc, strings(a, fl_type_make(FL_TYPE_STRING), v, NULL, 7), dict == 0)) {
            CHECK_MEM(sc.st->min_value.ptr, sc.st->min_value.len, "", 0);
            CHECK_MEM(sc.st->max_value.ptr, sc.st->max_value.len, "\xf4\x8f\xbf\xbf", 4);
            CHECK_EQ(sc.st->null_count, 1);
            CHECK(!sc.st->has_min && !sc.st->has_max);
            check_exact(sc.st);
        }
        case_free(&sc);
    }
    const char *b[] = {"b\0a", "b", "b\0"};
    size_t blen[] = {3, 1, 2};
    stats_case sb = {0};
    if (write_one(&sb, strings(a, fl_type_make(FL_TYPE_BINARY), b, blen, 3), false)) {
        CHECK_MEM(sb.st->min_value.ptr, sb.st->min_value.len, "b", 1);
        CHECK_MEM(sb.st->max_value.ptr, sb.st->max_value.len, "b\0a", 3);
    }
    case_free(&sb);
    /* fixed and uuid: unsigned bytes as well */
    const char *u[] = {"\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
                       "\x7f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
    size_t ulen[] = {16, 16};
    stats_case su = {0};
    if (write_one(&su, strings(a, fl_type_make(FL_TYPE_UUID), u, ulen, 2), false)) {
        CHECK_MEM(su.st->min_value.ptr, su.st->min_value.len, u[1], 16);
        CHECK_MEM(su.st->max_value.ptr, su.st->max_value.len, u[0], 16);
    }
    case_free(&su);
    fl_arena_free(a);
}

TEST(writer_stats_long_strings_truncated)
{
    fl_arena *a = fl_arena_new(0);
    char *lo = fl_arena_alloc(a, 2000), *hi = fl_arena_alloc(a, 1500), *ff = fl_arena_alloc(a, 1100);
    memset(lo, 'a', 2000);
    memset(hi, 'b', 1500);
    memset(ff, 0xff, 1100);
    const char *v[] = {lo, hi, "ab"};
    size_t lens[] = {2000, 1500, 2};
    stats_case sc = {0};
    if (write_one(&sc, strings(a, fl_type_make(FL_TYPE_STRING), v, lens, 3), false)) {
        CHECK_EQ(sc.st->min_value.len, 1024);
        CHECK(memcmp(sc.st->min_value.ptr, lo, 1024) == 0);
        CHECK(sc.st->has_is_min_value_exact && !sc.st->is_min_value_exact);
        CHECK_EQ(sc.st->max_value.len, 1024);
        CHECK(memcmp(sc.st->max_value.ptr, hi, 1023) == 0);
        CHECK_EQ((uint8_t)sc.st->max_value.ptr[1023], 'c');
        CHECK(sc.st->has_is_max_value_exact && !sc.st->is_max_value_exact);
    }
    case_free(&sc);
    /* a max made of 0xff bytes has no shorter upper bound: kept whole and exact */
    const char *w[] = {ff, "x"};
    size_t wl[] = {1100, 1};
    stats_case sw = {0};
    if (write_one(&sw, strings(a, fl_type_make(FL_TYPE_BINARY), w, wl, 2), false)) {
        CHECK_EQ(sw.st->max_value.len, 1100);
        CHECK(sw.st->is_max_value_exact);
        CHECK_MEM(sw.st->min_value.ptr, sw.st->min_value.len, "x", 1);
    }
    case_free(&sw);
    /* UTF-8: truncation keeps whole characters and increments an ASCII byte */
    char *utf = fl_arena_alloc(a, 1500);
    for (int i = 0; i < 1500; i += 3) memcpy(utf + i, "\xe2\x82\xac", 3);   /* euro signs */
    utf[0] = 'q';
    utf[1] = 'q';
    utf[2] = 'q';
    const char *u[] = {utf, "a"};
    size_t ul[] = {1500, 1};
    stats_case su = {0};
    if (write_one(&su, strings(a, fl_type_make(FL_TYPE_STRING), u, ul, 2), false)) {
        CHECK_MEM(su.st->max_value.ptr, su.st->max_value.len, "qqr", 3);
        CHECK(!su.st->is_max_value_exact);
    }
    case_free(&su);
    fl_arena_free(a);
}

TEST(writer_stats_decimals_by_value)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *d = col_of(a, fl_type_decimal(7, 2), 3);
    int64_t dv[] = {-100, 50, -3};
    memcpy(d->data, dv, sizeof dv);
    stats_case sc = {0};
    if (write_one(&sc, d, false)) {
        int32_t min, max;
        CHECK_EQ(sc.st->min_value.len, 4);
        memcpy(&min, sc.st->min_value.ptr, 4);
        memcpy(&max, sc.st->max_value.ptr, 4);
        CHECK_EQ(min, -100);
        CHECK_EQ(max, 50);
    }
    case_free(&sc);
    for (int dict = 0; dict < 2; dict++) {
        fl_column *w = col_of(a, fl_type_decimal(38, 2), 4);
        fl_int128 big = fl_pow10_i128(30);
        fl_int128 wv[] = {-1, 1, -big, big - 7};
        memcpy(w->data, wv, sizeof wv);
        stats_case sw = {0};
        if (write_one(&sw, w, dict == 0)) {
            uint8_t want_min[16], want_max[16];
            fl_decimal_to_be_fixed(-big, want_min, 16);
            fl_decimal_to_be_fixed(big - 7, want_max, 16);
            CHECK_MEM(sw.st->min_value.ptr, sw.st->min_value.len, want_min, 16);
            CHECK_MEM(sw.st->max_value.ptr, sw.st->max_value.len, want_max, 16);
            CHECK(!sw.st->has_min);
        }
        case_free(&sw);
    }
    fl_arena_free(a);
}

static float f32_at(const fl_strv s) { float f; memcpy(&f, s.ptr, 4); return f; }
static double f64_at(const fl_strv s) { double f; memcpy(&f, s.ptr, 8); return f; }

TEST(writer_stats_floats)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *f = col_of(a, fl_type_make(FL_TYPE_FLOAT), 4);
    float fv[] = {NAN, 1.5f, -2.0f, NAN};
    memcpy(f->data, fv, sizeof fv);
    stats_case sc = {0};
    if (write_one(&sc, f, false)) {
        CHECK(f32_at(sc.st->min_value) == -2.0f);
        CHECK(f32_at(sc.st->max_value) == 1.5f);
    }
    case_free(&sc);
    /* all NaN (and NULL): no min/max, null count still there */
    fl_column *n = col_of(a, fl_type_make(FL_TYPE_DOUBLE), 3);
    double nv[] = {NAN, NAN, 0};
    memcpy(n->data, nv, sizeof nv);
    fl_column_set_null(n, 2);
    stats_case sn = {0};
    if (write_one(&sn, n, false)) {
        CHECK(!sn.st->has_min_value && !sn.st->has_max_value);
        CHECK(!sn.st->has_min && !sn.st->has_max);
        CHECK(sn.st->has_null_count && sn.st->null_count == 1);
    }
    case_free(&sn);
    /* zeros: min -0.0, max +0.0 */
    fl_column *z = col_of(a, fl_type_make(FL_TYPE_DOUBLE), 3);
    double zv[] = {0.0, -1.0, -0.0};
    memcpy(z->data, zv, sizeof zv);
    stats_case sz = {0};
    if (write_one(&sz, z, true)) {
        CHECK(f64_at(sz.st->min_value) == -1.0);
        double max = f64_at(sz.st->max_value);
        CHECK(max == 0.0 && !signbit(max));
    }
    case_free(&sz);
    fl_column *z2 = col_of(a, fl_type_make(FL_TYPE_FLOAT), 2);
    float z2v[] = {0.0f, 2.0f};
    memcpy(z2->data, z2v, sizeof z2v);
    stats_case s2 = {0};
    if (write_one(&s2, z2, false)) {
        float min = f32_at(s2.st->min_value);
        CHECK(min == 0.0f && signbit(min));
    }
    case_free(&s2);
    fl_arena_free(a);
}

TEST(writer_stats_all_null_and_bool)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *c = col_of(a, fl_type_make(FL_TYPE_STRING), 50);
    for (size_t i = 0; i < 50; i++) fl_column_set_null(c, i);
    stats_case sc = {0};
    if (write_one(&sc, c, false)) {
        CHECK(!sc.st->has_min_value && !sc.st->has_max_value);
        CHECK_EQ(sc.st->null_count, 50);
        CHECK(!sc.meta->row_groups[0].columns[0].meta.has_dictionary_page_offset);
    }
    case_free(&sc);
    fl_column *b = col_of(a, fl_type_make(FL_TYPE_BOOL), 3);
    uint8_t bv[] = {1, 1, 0};
    memcpy(b->data, bv, sizeof bv);
    fl_column_set_null(b, 2);
    stats_case sb = {0};
    if (write_one(&sb, b, false)) {
        CHECK_MEM(sb.st->min_value.ptr, sb.st->min_value.len, "\x01", 1);
        CHECK_MEM(sb.st->max_value.ptr, sb.st->max_value.len, "\x01", 1);
    }
    case_free(&sb);
    fl_arena_free(a);
}

/* The reader decodes what the writer wrote, per row group. */
TEST(writer_stats_read_back_per_row_group)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    size_t rows = 10000;
    fl_column *c = col_of(a, fl_type_make(FL_TYPE_INT64), rows);
    for (size_t i = 0; i < rows; i++) ((int64_t *)c->data)[i] = (int64_t)i * 3 - 5000;
    pq_field f = tw_leaf("v", c->type, false, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.row_group_bytes = 16000;
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    io_reader *src = NULL;
    pq_file *pf = NULL;
    if (CHECK_OK(tw_write(&file, &root, &c, rows, 0, &o, &err), &err) &&
        CHECK_OK(io_reader_from_memory(file.data, file.len, &src, &err), &err) &&
        CHECK_OK(pq_file_open(&pf, src, &err), &err)) {
        int groups = pq_file_num_row_groups(pf);
        CHECK(groups > 3);
        int64_t next = -5000;
        const pq_file_meta *m = pq_file_metadata(pf);
        for (int g = 0; g < groups; g++) {
            pq_chunk_stats cs;
            if (!CHECK_OK(pq_chunk_stats_get(pf, g, 0, &cs, fa, &err), &err)) break;
            CHECK(!cs.min.is_null && !cs.max.is_null);
            CHECK_EQ(cs.min.v.i64, next);
            CHECK_EQ(cs.max.v.i64, next + (m->row_groups[g].num_rows - 1) * 3);
            CHECK_EQ(cs.null_count, 0);
            next += m->row_groups[g].num_rows * 3;
        }
        /* predicates skip row groups using them */
        pq_predicate p = {0, PQ_PRED_GT, {fl_type_make(FL_TYPE_INT64), false, {.i64 = 24000}}};
        CHECK(!pq_row_group_may_match(pf, 0, &p, 1));
        CHECK(pq_row_group_may_match(pf, groups - 1, &p, 1));
    }
    pq_file_free(pf);
    io_reader_close(src);
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}
