/*
 * catalog_suite.c: the backend-independent catalog tests (catalog_suite.h):
 * namespaces, tables, the commit compare-and-swap, catalog-name isolation,
 * and concurrent committers (threads and forked processes) whose swaps must
 * form one unbroken chain.
 */
#include "catalog_suite.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../src/base/alloc.h"
#include "../../../src/catalog/catalog.h"
#include "../test.h"

static cat_catalog *open_cat(const char *uri, const char *cat)
{
    fl_error err;
    cat_catalog *c = NULL;
    if (!CHECK_OK(cat_open(&c, uri, cat, &err), &err)) return NULL;
    return c;
}

static cat_props props2(const char *k1, const char *v1, const char *k2, const char *v2)
{
    cat_props p;
    cat_props_init(&p);
    if (k1) cat_props_set(&p, k1, v1, NULL);
    if (k2) cat_props_set(&p, k2, v2, NULL);
    return p;
}

static void check_list(const cat_list *l, const char *const *want, size_t n)
{
    CHECK_EQ(l->len, n);
    for (size_t i = 0; i < n && i < l->len; i++) CHECK_STR(l->items[i], want[i]);
}

void cs_namespaces(const char *uri, const char *cat)
{
    cat_catalog *c = open_cat(uri, cat);
    if (!c) return;
    fl_error err;
    CHECK_STR(c->name, cat);

    cat_list l;
    cat_list_init(&l);
    CHECK_OK(cat_namespace_list(c, NULL, &l, &err), &err);
    CHECK_EQ(l.len, 0);

    /* create: without properties the JDBC marker is stored */
    CHECK_OK(cat_namespace_create(c, "sales", NULL, &err), &err);
    cat_props p = props2("owner", "ann", "comment", "eu and us");
    CHECK_OK(cat_namespace_create(c, "sales.eu", &p, &err), &err);
    cat_props_dispose(&p);
    CHECK_OK(cat_namespace_create(c, "sales.us", NULL, &err), &err);
    CHECK_OK(cat_namespace_create(c, "hr", NULL, &err), &err);
    CHECK_OK(cat_namespace_create(c, "sales.eu.de", NULL, &err), &err);
    CHECK_EQ(cat_namespace_create(c, "sales.eu", NULL, &err), FLOE_EEXISTS);
    CHECK_STR(err.message, "namespace \"sales.eu\" already exists");

    bool exists = false;
    CHECK_OK(cat_namespace_exists(c, "sales.eu", &exists, &err), &err);
    CHECK(exists);
    CHECK_OK(cat_namespace_exists(c, "sales.e", &exists, &err), &err);
    CHECK(!exists); /* a prefix of a name is not a namespace */
    CHECK_OK(cat_namespace_exists(c, "nope", &exists, &err), &err);
    CHECK(!exists);

    /* bad names */
    CHECK_EQ(cat_namespace_create(c, "", NULL, &err), FLOE_EINVAL);
    CHECK_EQ(cat_namespace_create(c, "a..b", NULL, &err), FLOE_EINVAL);
    CHECK_EQ(cat_namespace_create(c, ".a", NULL, &err), FLOE_EINVAL);
    CHECK_EQ(cat_namespace_create(c, "a.", NULL, &err), FLOE_EINVAL);
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    CHECK_EQ(cat_namespace_create(c, longname, NULL, &err), FLOE_EINVAL);

    /* list: top level and children, sorted, full names */
    CHECK_OK(cat_namespace_list(c, NULL, &l, &err), &err);
    check_list(&l, (const char *[]){"hr", "sales"}, 2);
    cat_list_dispose(&l);
    CHECK_OK(cat_namespace_list(c, "", &l, &err), &err);
    CHECK_EQ(l.len, 2);
    cat_list_dispose(&l);
    CHECK_OK(cat_namespace_list(c, "sales", &l, &err), &err);
    check_list(&l, (const char *[]){"sales.eu", "sales.us"}, 2);
    cat_list_dispose(&l);
    CHECK_OK(cat_namespace_list(c, "sales.eu", &l, &err), &err);
    check_list(&l, (const char *[]){"sales.eu.de"}, 1);
    cat_list_dispose(&l);
    CHECK_OK(cat_namespace_list(c, "hr", &l, &err), &err);
    CHECK_EQ(l.len, 0);
    CHECK_EQ(cat_namespace_list(c, "nope", &l, &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "namespace \"nope\" does not exist");

    /* load */
    cat_props got;
    cat_props_init(&got);
    CHECK_OK(cat_namespace_load(c, "sales.eu", &got, &err), &err);
    CHECK_EQ(got.len, 2);
    CHECK_STR(cat_props_get(&got, "owner"), "ann");
    CHECK_STR(cat_props_get(&got, "comment"), "eu and us");
    cat_props_dispose(&got);
    CHECK_OK(cat_namespace_load(c, "hr", &got, &err), &err);
    CHECK_EQ(got.len, 1);
    CHECK_STR(cat_props_get(&got, CAT_EXISTS_PROPERTY), "true");
    cat_props_dispose(&got);
    CHECK_EQ(cat_namespace_load(c, "nope", &got, &err), FLOE_ENOTFOUND);

    /* update: set (insert and replace) and remove in one call */
    cat_props set = props2("owner", "bob", "retention", "30d");
    cat_list rm;
    cat_list_init(&rm);
    cat_list_push(&rm, "comment", NULL);
    cat_list_push(&rm, "no-such-key", NULL);
    CHECK_OK(cat_namespace_update(c, "sales.eu", &set, &rm, &err), &err);
    cat_props_dispose(&set);
    cat_list_dispose(&rm);
    CHECK_OK(cat_namespace_load(c, "sales.eu", &got, &err), &err);
    CHECK_EQ(got.len, 2);
    CHECK_STR(cat_props_get(&got, "owner"), "bob");
    CHECK_STR(cat_props_get(&got, "retention"), "30d");
    CHECK(cat_props_get(&got, "comment") == NULL);
    cat_props_dispose(&got);
    /* removing every property keeps the namespace (marker) */
    cat_list_push(&rm, "owner", NULL);
    cat_list_push(&rm, "retention", NULL);
    CHECK_OK(cat_namespace_update(c, "sales.eu", NULL, &rm, &err), &err);
    cat_list_dispose(&rm);
    CHECK_OK(cat_namespace_load(c, "sales.eu", &got, &err), &err);
    CHECK_EQ(got.len, 1);
    CHECK_STR(cat_props_get(&got, CAT_EXISTS_PROPERTY), "true");
    cat_props_dispose(&got);
    set = props2("k", "v", NULL, NULL);
    CHECK_EQ(cat_namespace_update(c, "nope", &set, NULL, &err), FLOE_ENOTFOUND);
    cat_props_dispose(&set);

    /* drop: only when empty (no child namespaces, no tables) */
    CHECK_EQ(cat_namespace_drop(c, "sales.eu", &err), FLOE_EINVAL);
    CHECK_STR(err.message, "namespace \"sales.eu\" is not empty");
    CHECK_OK(cat_namespace_drop(c, "sales.eu.de", &err), &err);
    CHECK_OK(cat_table_create(c, "sales.eu", "orders", "m/orders/v1.json", &err), &err);
    CHECK_EQ(cat_namespace_drop(c, "sales.eu", &err), FLOE_EINVAL);
    CHECK_STR(err.message, "namespace \"sales.eu\" is not empty");
    CHECK_OK(cat_table_drop(c, "sales.eu", "orders", NULL, &err), &err);
    CHECK_OK(cat_namespace_drop(c, "sales.eu", &err), &err);
    CHECK_OK(cat_namespace_exists(c, "sales.eu", &exists, &err), &err);
    CHECK(!exists);
    CHECK_EQ(cat_namespace_drop(c, "sales.eu", &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "namespace \"sales.eu\" does not exist");
    CHECK_OK(cat_namespace_list(c, "sales", &l, &err), &err);
    check_list(&l, (const char *[]){"sales.us"}, 1);
    cat_list_dispose(&l);
    cat_free(c);
}

void cs_tables(const char *uri, const char *cat)
{
    cat_catalog *c = open_cat(uri, cat);
    if (!c) return;
    fl_error err;
    CHECK_OK(cat_namespace_create(c, "db", NULL, &err), &err);
    CHECK_OK(cat_namespace_create(c, "db.archive", NULL, &err), &err);

    CHECK_OK(cat_table_create(c, "db", "orders", "s3://b/db/orders/metadata/00000-a.metadata.json",
                              &err), &err);
    CHECK_OK(cat_table_create(c, "db", "items", "s3://b/db/items/metadata/00000-b.metadata.json",
                              &err), &err);
    CHECK_EQ(cat_table_create(c, "db", "orders", "x.json", &err), FLOE_EEXISTS);
    CHECK_STR(err.message, "table \"db.orders\" already exists");
    CHECK_EQ(cat_table_create(c, "nope", "t", "x.json", &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "namespace \"nope\" does not exist");
    CHECK_EQ(cat_table_create(c, "db", "", "x.json", &err), FLOE_EINVAL);
    CHECK_EQ(cat_table_create(c, "db", "t", "", &err), FLOE_EINVAL);
    char longloc[1100];
    memset(longloc, 'x', sizeof longloc - 1);
    longloc[sizeof longloc - 1] = '\0';
    CHECK_EQ(cat_table_create(c, "db", "t", longloc, &err), FLOE_EINVAL);

    /* register = create with an existing metadata file */
    CHECK_OK(cat_table_register(c, "db.archive", "old", "file:///wh/old/metadata/v7.metadata.json",
                                &err), &err);

    char *loc = NULL, *prev = NULL;
    CHECK_OK(cat_table_load(c, "db", "orders", &loc, &prev, &err), &err);
    CHECK_STR(loc, "s3://b/db/orders/metadata/00000-a.metadata.json");
    CHECK(prev == NULL);
    fl_free(loc);
    CHECK_EQ(cat_table_load(c, "db", "nope", &loc, NULL, &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "table \"db.nope\" does not exist");
    CHECK(loc == NULL);

    bool exists = false;
    CHECK_OK(cat_table_exists(c, "db", "items", &exists, &err), &err);
    CHECK(exists);
    CHECK_OK(cat_table_exists(c, "db", "nope", &exists, &err), &err);
    CHECK(!exists);
    CHECK_OK(cat_table_exists(c, "nope", "items", &exists, &err), &err);
    CHECK(!exists);

    cat_list l;
    cat_list_init(&l);
    CHECK_OK(cat_table_list(c, "db", &l, &err), &err);
    check_list(&l, (const char *[]){"items", "orders"}, 2);
    cat_list_dispose(&l);
    CHECK_OK(cat_table_list(c, "db.archive", &l, &err), &err);
    check_list(&l, (const char *[]){"old"}, 1);
    cat_list_dispose(&l);
    CHECK_EQ(cat_table_list(c, "nope", &l, &err), FLOE_ENOTFOUND);

    /* rename within and across namespaces; the pointer moves with it */
    CHECK_OK(cat_table_rename(c, "db", "items", "db", "products", &err), &err);
    CHECK_OK(cat_table_rename(c, "db", "products", "db.archive", "products_2024", &err), &err);
    CHECK_OK(cat_table_load(c, "db.archive", "products_2024", &loc, NULL, &err), &err);
    CHECK_STR(loc, "s3://b/db/items/metadata/00000-b.metadata.json");
    fl_free(loc);
    CHECK_OK(cat_table_exists(c, "db", "items", &exists, &err), &err);
    CHECK(!exists);
    CHECK_EQ(cat_table_rename(c, "db", "items", "db", "x", &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "table \"db.items\" does not exist");
    CHECK_EQ(cat_table_rename(c, "db", "orders", "db.archive", "old", &err), FLOE_EEXISTS);
    CHECK_STR(err.message, "table \"db.archive.old\" already exists");
    CHECK_EQ(cat_table_rename(c, "db", "orders", "nope", "orders", &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "namespace \"nope\" does not exist");
    CHECK_OK(cat_table_load(c, "db", "orders", &loc, NULL, &err), &err); /* untouched */
    CHECK_STR(loc, "s3://b/db/orders/metadata/00000-a.metadata.json");
    fl_free(loc);

    /* drop returns the last metadata location for the caller's purge */
    char *last = NULL;
    CHECK_OK(cat_table_drop(c, "db.archive", "old", &last, &err), &err);
    CHECK_STR(last, "file:///wh/old/metadata/v7.metadata.json");
    fl_free(last);
    CHECK_EQ(cat_table_drop(c, "db.archive", "old", &last, &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "table \"db.archive.old\" does not exist");
    CHECK(last == NULL);
    CHECK_OK(cat_table_list(c, "db.archive", &l, &err), &err);
    check_list(&l, (const char *[]){"products_2024"}, 1);
    cat_list_dispose(&l);

    /* a table can be re-created under a dropped name */
    CHECK_OK(cat_table_create(c, "db.archive", "old", "v1.json", &err), &err);
    CHECK_OK(cat_table_load(c, "db.archive", "old", &loc, &prev, &err), &err);
    CHECK_STR(loc, "v1.json");
    CHECK(prev == NULL);
    fl_free(loc);

    /* tables in a namespace keep it alive after its properties go */
    CHECK_EQ(cat_namespace_drop(c, "db", &err), FLOE_EINVAL);
    cat_free(c);
}

void cs_commit(const char *uri, const char *cat)
{
    cat_catalog *a = open_cat(uri, cat), *b = open_cat(uri, cat);
    if (!a || !b) goto done;
    fl_error err;
    CHECK_OK(cat_namespace_create(a, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(a, "ns", "t", "v0.json", &err), &err);

    /* both read v0; a wins, b is told to refresh */
    char *seen_a = NULL, *seen_b = NULL, *prev = NULL;
    CHECK_OK(cat_table_load(a, "ns", "t", &seen_a, NULL, &err), &err);
    CHECK_OK(cat_table_load(b, "ns", "t", &seen_b, NULL, &err), &err);
    CHECK_OK(cat_table_commit(a, "ns", "t", seen_a, "v1-a.json", &err), &err);
    CHECK_EQ(cat_table_commit(b, "ns", "t", seen_b, "v1-b.json", &err), FLOE_ECONFLICT);
    CHECK(strstr(err.message, "table \"ns.t\"") != NULL);
    CHECK(strstr(err.detail, "found \"v1-a.json\"") != NULL);
    fl_free(seen_a);
    fl_free(seen_b);
    CHECK_OK(cat_table_load(b, "ns", "t", &seen_b, &prev, &err), &err);
    CHECK_STR(seen_b, "v1-a.json");
    CHECK_STR(prev, "v0.json");
    fl_free(prev);
    /* b refreshes and retries */
    CHECK_OK(cat_table_commit(b, "ns", "t", seen_b, "v2-b.json", &err), &err);
    fl_free(seen_b);
    CHECK_OK(cat_table_load(a, "ns", "t", &seen_a, &prev, &err), &err);
    CHECK_STR(seen_a, "v2-b.json");
    CHECK_STR(prev, "v1-a.json");
    fl_free(seen_a);
    fl_free(prev);

    /* stale expected, missing table, bad arguments */
    CHECK_EQ(cat_table_commit(a, "ns", "t", "v0.json", "v9.json", &err), FLOE_ECONFLICT);
    CHECK_EQ(cat_table_commit(a, "ns", "gone", "v0.json", "v9.json", &err), FLOE_ENOTFOUND);
    CHECK_EQ(cat_table_commit(a, "ns", "t", "v2-b.json", "v2-b.json", &err), FLOE_EINVAL);
    CHECK_EQ(cat_table_commit(a, "ns", "t", "", "v3.json", &err), FLOE_EINVAL);
    CHECK_OK(cat_table_load(a, "ns", "t", &seen_a, NULL, &err), &err);
    CHECK_STR(seen_a, "v2-b.json"); /* none of the failures changed anything */
    fl_free(seen_a);

    /* a commit after a rename must use the new name */
    CHECK_OK(cat_table_rename(a, "ns", "t", "ns", "t2", &err), &err);
    CHECK_EQ(cat_table_commit(b, "ns", "t", "v2-b.json", "v3.json", &err), FLOE_ENOTFOUND);
    CHECK_OK(cat_table_commit(b, "ns", "t2", "v2-b.json", "v3.json", &err), &err);
done:
    cat_free(a);
    cat_free(b);
}

void cs_isolation(const char *uri, const char *cat)
{
    char other[300];
    snprintf(other, sizeof other, "%s_other", cat);
    cat_catalog *a = open_cat(uri, cat), *b = open_cat(uri, other);
    if (!a || !b) goto done;
    fl_error err;
    CHECK_OK(cat_namespace_create(a, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(a, "ns", "t", "a.json", &err), &err);
    bool exists = true;
    CHECK_OK(cat_namespace_exists(b, "ns", &exists, &err), &err);
    CHECK(!exists);
    CHECK_OK(cat_namespace_create(b, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(b, "ns", "t", "b.json", &err), &err);
    char *loc = NULL;
    CHECK_OK(cat_table_load(a, "ns", "t", &loc, NULL, &err), &err);
    CHECK_STR(loc, "a.json");
    fl_free(loc);
    CHECK_OK(cat_table_load(b, "ns", "t", &loc, NULL, &err), &err);
    CHECK_STR(loc, "b.json");
    fl_free(loc);
    CHECK_OK(cat_table_drop(b, "ns", "t", NULL, &err), &err);
    CHECK_OK(cat_table_exists(a, "ns", "t", &exists, &err), &err);
    CHECK(exists);
done:
    cat_free(a);
    cat_free(b);
}

/* ---- concurrent committers ------------------------------------------- */

typedef struct swap {
    char expected[64], made[64];
} swap;

typedef struct worker {
    const char *uri, *cat;
    cat_catalog *shared; /* NULL: open an own handle */
    int id, m;
    swap *swaps;         /* m entries */
    int done, conflicts, errors;
    char error[FL_ERROR_MSG_MAX + 64];
} worker;

static void small_pause(int id, int j)
{
    struct timespec ts = {0, (long)(50 + (id * 7919 + j * 104729) % 250) * 1000L};
    nanosleep(&ts, NULL);
}

/* m read-then-CAS loops; retries on ECONFLICT, stops on any other failure. */
static void run_committer(worker *w)
{
    fl_error err;
    cat_catalog *c = w->shared;
    if (!c && cat_open(&c, w->uri, w->cat, &err) < 0) {
        w->errors++;
        snprintf(w->error, sizeof w->error, "%s", err.message);
        return;
    }
    for (int j = 0; j < w->m; j++) {
        char made[64];
        snprintf(made, sizeof made, "meta/w%d-%d.metadata.json", w->id, j);
        for (int attempt = 0;; attempt++) {
            char *cur = NULL;
            int rc = cat_table_load(c, "ns", "t", &cur, NULL, &err);
            if (rc >= 0) {
                small_pause(w->id, j + attempt);
                rc = cat_table_commit(c, "ns", "t", cur, made, &err);
            }
            if (rc >= 0) {
                snprintf(w->swaps[w->done].expected, sizeof w->swaps[0].expected, "%.63s", cur);
                snprintf(w->swaps[w->done].made, sizeof w->swaps[0].made, "%s", made);
                w->done++;
            }
            fl_free(cur);
            if (rc >= 0) break;
            if (rc == FLOE_ECONFLICT && attempt < 100000) {
                w->conflicts++;
                continue;
            }
            w->errors++;
            snprintf(w->error, sizeof w->error, "%s (%s)", err.message, fl_status_name(rc));
            goto out;
        }
    }
out:
    if (!w->shared) cat_free(c);
}

static void *thread_main(void *arg)
{
    run_committer(arg);
    return NULL;
}

/* The successful swaps must form one chain from "v0.json" through every
 * swap to the final location: each base location was swapped away exactly
 * once (a second swap from the same base would be a lost update). */
static void check_chain(const char *uri, const char *cat, swap *swaps, int total)
{
    cat_catalog *c = open_cat(uri, cat);
    if (!c) return;
    fl_error err;
    char *final = NULL, *prev = NULL;
    CHECK_OK(cat_table_load(c, "ns", "t", &final, &prev, &err), &err);
    cat_free(c);
    if (!final) return;
    const char *cur = "v0.json";
    const char *last_expected = NULL;
    int steps = 0;
    bool fork_seen = false;
    for (steps = 0; steps < total; steps++) {
        int next = -1;
        for (int i = 0; i < total; i++) {
            if (strcmp(swaps[i].expected, cur) != 0) continue;
            if (next >= 0) fork_seen = true;
            next = i;
        }
        if (next < 0) break;
        last_expected = swaps[next].expected;
        cur = swaps[next].made;
    }
    CHECK(!fork_seen);
    CHECK_EQ(steps, total);
    CHECK_STR(cur, final);
    if (last_expected) CHECK_STR(prev, last_expected);
    fl_free(final);
    fl_free(prev);
}

static void setup_table(const char *uri, const char *cat)
{
    cat_catalog *c = open_cat(uri, cat);
    if (!c) return;
    fl_error err;
    CHECK_OK(cat_namespace_create(c, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(c, "ns", "t", "v0.json", &err), &err);
    cat_free(c);
}

void cs_concurrent_threads(const char *uri, const char *cat, int n, int m, int shared_handle)
{
    setup_table(uri, cat);
    worker *ws = fl_calloc((size_t)n, sizeof *ws);
    swap *all = fl_calloc((size_t)(n * m), sizeof *all);
    pthread_t *tids = fl_calloc((size_t)n, sizeof *tids);
    cat_catalog *shared = shared_handle ? open_cat(uri, cat) : NULL;
    for (int i = 0; i < n; i++) {
        ws[i] = (worker){.uri = uri, .cat = cat, .shared = shared, .id = i, .m = m};
        ws[i].swaps = all + i * m;
        CHECK_EQ(pthread_create(&tids[i], NULL, thread_main, &ws[i]), 0);
    }
    int done = 0, conflicts = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(tids[i], NULL);
        done += ws[i].done;
        conflicts += ws[i].conflicts;
        if (ws[i].errors) fprintf(stderr, "  committer %d: %s\n", i, ws[i].error);
        CHECK_EQ(ws[i].errors, 0);
    }
    CHECK_EQ(done, n * m);
    if (!shared_handle) CHECK(conflicts > 0); /* the committers really raced */
    check_chain(uri, cat, all, done);
    cat_free(shared);
    fl_free(tids);
    fl_free(all);
    fl_free(ws);
}

void cs_concurrent_processes(const char *uri, const char *cat, const char *dir, int n, int m)
{
    setup_table(uri, cat);
    pid_t *pids = fl_calloc((size_t)n, sizeof *pids);
    /* a start gate: children connect, then block until the parent closes
     * the pipe, so that they all commit at the same time */
    int gate[2];
    if (!CHECK(pipe(gate) == 0)) return;
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        CHECK(pids[i] >= 0);
        if (pids[i] != 0) continue;
        /* child: commit, then report the swaps in dir/w<i>.txt */
        close(gate[1]);
        worker w = {.uri = uri, .cat = cat, .id = 100 + i, .m = m};
        w.swaps = calloc((size_t)m, sizeof *w.swaps);
        fl_error err;
        if (cat_open(&w.shared, uri, cat, &err) < 0) {
            w.errors++;
            snprintf(w.error, sizeof w.error, "%s", err.message);
        }
        char byte;
        while (read(gate[0], &byte, 1) > 0) {
        }
        if (w.swaps && w.shared) run_committer(&w);
        cat_free(w.shared);
        char path[512];
        snprintf(path, sizeof path, "%s/w%d.txt", dir, i);
        FILE *f = fopen(path, "w");
        if (!f || !w.swaps) _exit(2);
        fprintf(f, "conflicts\t%d\n", w.conflicts);
        for (int j = 0; j < w.done; j++) fprintf(f, "%s\t%s\n", w.swaps[j].expected, w.swaps[j].made);
        if (w.errors) fprintf(stderr, "  committer process %d: %s\n", i, w.error);
        fclose(f);
        _exit(w.errors ? 1 : 0);
    }
    close(gate[0]);
    close(gate[1]);
    int total = 0, conflicts = 0;
    swap *all = fl_calloc((size_t)(n * m), sizeof *all);
    for (int i = 0; i < n; i++) {
        int status = -1;
        if (pids[i] > 0) waitpid(pids[i], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        char path[512], line[256];
        snprintf(path, sizeof path, "%s/w%d.txt", dir, i);
        FILE *f = fopen(path, "r");
        if (!CHECK(f != NULL)) continue;
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            char *tab = strchr(line, '\t');
            if (!tab) continue;
            *tab = '\0';
            if (strcmp(line, "conflicts") == 0) {
                conflicts += (int)strtol(tab + 1, NULL, 10);
            } else if (total < n * m) {
                snprintf(all[total].expected, sizeof all[0].expected, "%.63s", line);
                snprintf(all[total].made, sizeof all[0].made, "%.63s", tab + 1);
                total++;
            }
        }
        fclose(f);
    }
    CHECK_EQ(total, n * m);
    CHECK(conflicts > 0);
    check_chain(uri, cat, all, total);
    fl_free(all);
    fl_free(pids);
}

void cs_external(const char *uri, const char *cat)
{
    cat_catalog *c = open_cat(uri, cat);
    if (!c) return;
    fl_error err;
    char *def = NULL;
    /* no table yet: loads and drops say "does not exist", lists are empty */
    CHECK_OK(cat_namespace_create(c, "raw", NULL, &err), &err);
    CHECK_EQ(cat_external_load(c, "raw", "sales", &def, &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "table \"raw.sales\" does not exist");
    CHECK(def == NULL);
    cat_list l;
    cat_list_init(&l);
    CHECK_OK(cat_external_list(c, "raw", &l, &err), &err);
    CHECK_EQ(l.len, 0);

    CHECK_OK(cat_external_create(c, "raw", "sales", "{\"format\":\"csv\"}", &err), &err);
    CHECK_OK(cat_external_create(c, "raw", "items", "{\"format\":\"parquet\"}", &err), &err);
    CHECK_EQ(cat_external_create(c, "raw", "sales", "{}", &err), FLOE_EEXISTS);
    CHECK_STR(err.message, "table \"raw.sales\" already exists");
    CHECK_EQ(cat_external_create(c, "nope", "t", "{}", &err), FLOE_ENOTFOUND);
    /* one name space for both kinds of table */
    CHECK_EQ(cat_table_create(c, "raw", "sales", "file:///x/metadata/v1.metadata.json", &err),
             FLOE_EEXISTS);
    CHECK_OK(cat_table_create(c, "raw", "ice", "file:///x/metadata/v1.metadata.json", &err), &err);
    CHECK_EQ(cat_external_create(c, "raw", "ice", "{}", &err), FLOE_EEXISTS);

    CHECK_OK(cat_external_load(c, "raw", "sales", &def, &err), &err);
    CHECK_STR(def, "{\"format\":\"csv\"}");
    fl_free(def);
    CHECK_OK(cat_external_list(c, "raw", &l, &err), &err);
    CHECK_EQ(l.len, 2);
    if (l.len == 2) {
        CHECK_STR(l.items[0], "items");
        CHECK_STR(l.items[1], "sales");
    }
    cat_list_dispose(&l);
    /* Iceberg table lists do not show external tables */
    cat_list_init(&l);
    CHECK_OK(cat_table_list(c, "raw", &l, &err), &err);
    CHECK_EQ(l.len, 1);
    cat_list_dispose(&l);
    /* a namespace holding external tables is not empty */
    CHECK_OK(cat_table_drop(c, "raw", "ice", NULL, &err), &err);
    CHECK_EQ(cat_namespace_drop(c, "raw", &err), FLOE_EINVAL);
    CHECK_OK(cat_external_drop(c, "raw", "sales", &err), &err);
    CHECK_EQ(cat_external_drop(c, "raw", "sales", &err), FLOE_ENOTFOUND);
    CHECK_OK(cat_external_drop(c, "raw", "items", &err), &err);
    CHECK_OK(cat_namespace_drop(c, "raw", &err), &err);
    cat_free(c);
}
