/*
 * test_avro_schema_cache.c: unit tests of the shared-schema cache
 * (avro_schema_parse_cached, used by the OCF reader): one doc per distinct
 * text, docs outlive eviction and avro_schema_cache_clear while a user holds
 * them, bounded size (least recently used evicted, huge texts not shared),
 * errors not cached, and readers on several threads sharing docs (ASan and
 * TSan builds check the lifetimes).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "../../../src/base/alloc.h"
#include "../../../src/base/buf.h"
#include "../../../src/format/avro/avro.h"

/* A one-field record named r<n> whose field "v" is a long with field id n. */
static int schema_text(char *buf, size_t cap, int n)
{
    return snprintf(buf, cap,
                    "{\"type\":\"record\",\"name\":\"r%d\",\"fields\":"
                    "[{\"name\":\"v\",\"type\":\"long\",\"field-id\":%d}]}",
                    n, n);
}

static avro_schema_doc *cached(const char *text)
{
    fl_error err = {0};
    avro_schema_doc *doc = NULL;
    CHECK_OK(avro_schema_parse_cached(&doc, text, strlen(text), &err), &err);
    return doc;
}

TEST(avro_schema_cache_shares_identical_text)
{
    avro_schema_cache_clear();
    char t1[256], t2[256];
    schema_text(t1, sizeof t1, 1);
    schema_text(t2, sizeof t2, 2);
    avro_schema_doc *a = cached(t1), *b = cached(t1), *c = cached(t2);
    if (!a || !b || !c) return;
    CHECK(a == b);
    CHECK(a != c);
    size_t len;
    CHECK_STR(avro_schema_text(a, &len), t1);
    CHECK_EQ(len, strlen(t1));
    CHECK_STR(avro_schema_root(c)->name, "r2");
    CHECK_EQ(avro_schema_root(c)->fields[0].field_id, 2);
    /* a private parse of the same text is its own doc */
    fl_error err = {0};
    avro_schema_doc *p = NULL;
    CHECK_OK(avro_schema_parse(&p, t1, strlen(t1), &err), &err);
    CHECK(p != a);
    avro_schema_free(p);
    /* dropping the cache's references leaves the users' docs intact */
    avro_schema_free(b);
    avro_schema_cache_clear();
    CHECK_STR(avro_schema_root(a)->name, "r1");
    CHECK_EQ(avro_schema_root(a)->fields[0].field_id, 1);
    avro_schema_doc *again = cached(t1);
    CHECK(again != a);      /* a is still alive, so a new doc cannot share its address */
    avro_schema_free(again);
    avro_schema_free(a);
    avro_schema_free(c);
}

TEST(avro_schema_cache_evicts_least_recent_and_bounds_text)
{
    avro_schema_cache_clear();
    enum { N = 40 };      /* more than the cache's 32 slots */
    avro_schema_doc *docs[N] = {0};
    char text[256];
    for (int i = 0; i < N; i++) {
        schema_text(text, sizeof text, 100 + i);
        docs[i] = cached(text);
        if (!docs[i]) return;
        if (i >= 1) {
            /* keep r100 recently used, so r101.. are evicted first */
            schema_text(text, sizeof text, 100);
            avro_schema_doc *first = cached(text);
            CHECK(first == docs[0]);
            avro_schema_free(first);
        }
    }
    for (int i = 0; i < N; i++) {
        /* every evicted doc is still whole for its holder */
        CHECK_EQ(avro_schema_root(docs[i])->fields[0].field_id, 100 + i);
    }
    schema_text(text, sizeof text, 101);
    avro_schema_doc *evicted = cached(text);
    CHECK(evicted && evicted != docs[1]);
    avro_schema_free(evicted);
    schema_text(text, sizeof text, 100 + N - 1);
    avro_schema_doc *recent = cached(text);
    CHECK(recent == docs[N - 1]);
    avro_schema_free(recent);
    for (int i = 0; i < N; i++) avro_schema_free(docs[i]);

    /* a text over 1 MiB is parsed but not kept */
    size_t pad = ((size_t)1 << 20) + 16;
    fl_buf big;
    fl_buf_init(&big);
    const char *head = "{\"type\":\"record\",\"name\":\"big\",\"doc\":\"";
    const char *tail = "\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"}]}";
    CHECK(fl_buf_append(&big, head, strlen(head)) == 0);
    CHECK(fl_buf_extend(&big, pad) != NULL);
    memset(big.data + strlen(head), 'x', pad);
    CHECK(fl_buf_append(&big, tail, strlen(tail)) == 0);
    fl_error err = {0};
    avro_schema_doc *b1 = NULL, *b2 = NULL;
    CHECK_OK(avro_schema_parse_cached(&b1, big.data, big.len, &err), &err);
    CHECK_OK(avro_schema_parse_cached(&b2, big.data, big.len, &err), &err);
    CHECK(b1 && b2 && b1 != b2);
    if (b1) CHECK_STR(avro_schema_root(b1)->name, "big");
    avro_schema_free(b1);
    avro_schema_free(b2);
    fl_buf_dispose(&big);
}

TEST(avro_schema_cache_does_not_keep_errors)
{
    avro_schema_cache_clear();
    const char *bad = "{\"type\":\"record\",\"name\":\"x\",\"fields\":[{\"name\":\"v\",\"type\":\"nope\"}]}";
    for (int i = 0; i < 2; i++) {
        fl_error err = {0};
        avro_schema_doc *doc = (avro_schema_doc *)&err;    /* must be reset to NULL */
        CHECK_EQ(avro_schema_parse_cached(&doc, bad, strlen(bad), &err), FLOE_ECORRUPT);
        CHECK(doc == NULL);
        CHECK(strstr(err.message, "nope") != NULL);
    }
}

/* An OCF file in memory with schema r<n> and `rows` datums v = n * 1000 + i. */
static int write_file(fl_buf *file, int n, int rows)
{
    char text[256];
    schema_text(text, sizeof text, n);
    fl_error err = {0};
    io_writer *out = NULL;
    avro_writer *w = NULL;
    fl_arena *a = fl_arena_new(0);
    int rc = a ? io_writer_to_buf(file, &out, &err) : FLOE_ENOMEM;
    if (rc == 0) rc = avro_writer_open(&w, out, text, strlen(text), NULL, 0, NULL, &err);
    for (int i = 0; rc == 0 && i < rows; i++) {
        avro_value *rec = avro_value_list(a, AVRO_RECORD, 1);
        if (!rec || !(rec->u.list.items[0] = avro_value_long(a, (int64_t)n * 1000 + i))) rc = FLOE_ENOMEM;
        if (rc == 0) rc = avro_writer_append(w, rec, &err);
    }
    if (rc == 0) rc = avro_writer_close(w, &err);
    else if (w) avro_writer_abort(w);
    fl_arena_free(a);
    return rc;
}

/* Reads every datum; returns the sum of v, or -1 on any error. */
static int64_t read_sum(const fl_buf *file, const avro_schema_doc **doc_out)
{
    fl_error err = {0};
    io_reader *in = NULL;
    avro_reader *r = NULL;
    fl_arena *a = fl_arena_new(0);
    int64_t sum = 0;
    int rc = a ? io_reader_from_memory(file->data, file->len, &in, &err) : FLOE_ENOMEM;
    if (rc == 0) rc = avro_reader_open(&r, in, NULL, &err);
    if (rc == 0 && doc_out) *doc_out = avro_reader_schema_doc(r);
    avro_value *v;
    while (rc == 0 && (rc = avro_reader_next(r, &v, a, &err)) == 1) {
        int64_t x;
        rc = avro_value_get_long(avro_value_field(v, 0), &x, &err);
        sum += x;
    }
    avro_reader_free(r);
    io_reader_close(in);
    fl_arena_free(a);
    return rc == 0 ? sum : -1;
}

TEST(avro_schema_cache_readers_share_and_outlive_clear)
{
    avro_schema_cache_clear();
    fl_buf f1, f2;
    fl_buf_init(&f1);
    fl_buf_init(&f2);
    if (!CHECK_EQ(write_file(&f1, 7, 3), 0) || !CHECK_EQ(write_file(&f2, 7, 5), 0)) goto done;
    fl_error err = {0};
    io_reader *in1 = NULL, *in2 = NULL;
    avro_reader *r1 = NULL, *r2 = NULL;
    CHECK_OK(io_reader_from_memory(f1.data, f1.len, &in1, &err), &err);
    CHECK_OK(io_reader_from_memory(f2.data, f2.len, &in2, &err), &err);
    CHECK_OK(avro_reader_open(&r1, in1, NULL, &err), &err);
    CHECK_OK(avro_reader_open(&r2, in2, NULL, &err), &err);
    if (r1 && r2) {
        CHECK(avro_reader_schema_doc(r1) == avro_reader_schema_doc(r2));
        avro_reader_free(r1);
        r1 = NULL;
        avro_schema_cache_clear();
        /* r2 still owns its reference: its schema decodes all five datums */
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        int64_t x = 0, count = 0;
        int rc;
        while ((rc = avro_reader_next(r2, &v, a, &err)) == 1) {
            CHECK_OK(avro_value_get_long(avro_value_field(v, 0), &x, &err), &err);
            count++;
        }
        CHECK_EQ(rc, 0);
        CHECK_EQ(count, 5);
        CHECK_EQ(x, 7004);
        fl_arena_free(a);
        const avro_schema_doc *fresh = NULL;
        CHECK_EQ(read_sum(&f1, &fresh), 7000 + 7001 + 7002);
        CHECK(fresh != avro_reader_schema_doc(r2));
    }
    avro_reader_free(r1);
    avro_reader_free(r2);
    io_reader_close(in1);
    io_reader_close(in2);
done:
    fl_buf_dispose(&f1);
    fl_buf_dispose(&f2);
}

enum { THREADS = 4, FILES = 3, ROUNDS = 150 };

typedef struct thread_arg {
    const fl_buf *files;
    int id;
    int bad;
} thread_arg;

static void *reader_thread(void *p)
{
    thread_arg *t = p;
    for (int i = 0; i < ROUNDS; i++) {
        int f = (i + t->id) % FILES;
        int64_t want = 0;
        for (int k = 0; k < 4; k++) want += (int64_t)(f + 1) * 1000 + k;
        if (read_sum(&t->files[f], NULL) != want) t->bad++;
        if (t->id == 0 && i % 50 == 49) avro_schema_cache_clear();
    }
    return NULL;
}

TEST(avro_schema_cache_threads)
{
    avro_schema_cache_clear();
    fl_buf files[FILES];
    for (int f = 0; f < FILES; f++) {
        fl_buf_init(&files[f]);
        CHECK_EQ(write_file(&files[f], f + 1, 4), 0);
    }
    pthread_t th[THREADS];
    thread_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_arg){files, i, 0};
        CHECK_EQ(pthread_create(&th[i], NULL, reader_thread, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ(args[i].bad, 0);
    }
    for (int f = 0; f < FILES; f++) fl_buf_dispose(&files[f]);
    avro_schema_cache_clear();
}
