/*
 * ice_commit.c: the commit protocol every table operation goes through:
 * apply the change to the base metadata (as JSON), write the new metadata
 * file create-if-absent, swap the catalog pointer, and on FLOE_ECONFLICT
 * refresh and retry with exponential backoff (Java's Tasks: wait
 * min(min-wait * 2^(attempt-1), max-wait) plus up to 10% jitter, give up
 * after num-retries retries or total-timeout-ms). See ice_txn.h for the
 * rules on which written files are deleted when; the one that matters is
 * that FLOE_EUNKNOWN never deletes anything.
 */
#include "ice_txn.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/strutil.h"
#include "../base/uuid.h"
#include "ice_txn_int.h"

void ice_written_init(ice_written *w) { memset(w, 0, sizeof(*w)); }

void ice_written_dispose(ice_written *w)
{
    for (size_t i = 0; i < w->len; i++) fl_free(w->locations[i]);
    fl_free(w->locations);
    fl_free(w->attempts);
    memset(w, 0, sizeof(*w));
}

int ice_written_add(ice_written *w, const char *location, int attempt, fl_error *err)
{
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        char **l = fl_realloc(w->locations, cap * sizeof(char *));
        if (l == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        w->locations = l;
        int *a = fl_realloc(w->attempts, cap * sizeof(int));
        if (a == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        w->attempts = a;
        w->cap = cap;
    }
    if ((w->locations[w->len] = fl_strdup(location)) == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    w->attempts[w->len++] = attempt;
    return 0;
}

/* Deletes written files: all of them (keep_attempt -2), or those of
 * attempts other than keep_attempt (the shared ones, -1, stay). */
int ice_txn_file_location(char *out, size_t cap, const char *table_location, int64_t snapshot_id,
                          int attempt, size_t k, bool list, fl_error *err)
{
    fl_uuid u;
    char uuid[FL_UUID_TEXT_LEN + 1];
    FL_TRY(fl_uuid_v4(&u, err));
    fl_uuid_format(&u, uuid);
    int n = list ? snprintf(out, cap, "%s/metadata/snap-%" PRId64 "-%d-%s.avro", table_location, snapshot_id,
                            attempt + 1, uuid)
                 : snprintf(out, cap, "%s/metadata/%s-m%zu.avro", table_location, uuid, k);
    if (n < 0 || (size_t)n >= cap)
        return fl_error_set(err, FLOE_EINVAL, "table location \"%s\" is too long", table_location);
    return 0;
}

int ice_txn_list_writer_open(ice_manifest_list_writer **out, const ice_table *t, int64_t snapshot_id,
                             const ice_snapshot *parent, int64_t seq, int attempt, char *loc,
                             size_t cap, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    ice_manifest_list_writer_opts o = {
        .format_version = md->format_version,
        .snapshot_id = snapshot_id,
        .has_parent_snapshot_id = parent != NULL,
        .parent_snapshot_id = parent ? parent->snapshot_id : 0,
        .sequence_number = seq,
        .first_row_id = md->has_next_row_id ? md->next_row_id : 0,
    };
    *out = NULL;
    FL_TRY(ice_txn_file_location(loc, cap, md->location, snapshot_id, attempt, 0, true, err));
    FL_TRY(ice_manifest_list_writer_open(out, t->fs, loc, &o, err));
    int rc = ice_written_add(written, loc, attempt, err);
    if (rc < 0) {
        ice_manifest_list_writer_abort(*out);
        *out = NULL;
    }
    return rc;
}

int ice_txn_add_snapshot(json_t *doc, const ice_metadata *md, int64_t snapshot_id,
                         const ice_snapshot *parent, int64_t seq, int64_t now_ms, json_t *summary,
                         const char *list_loc, int64_t next_row_id, fl_error *err)
{
    json_t *snap = summary == NULL ? NULL : json_pack("{s:I,s:I,s:I,s:o,s:s,s:i}",
        "sequence-number", (json_int_t)seq, "snapshot-id", (json_int_t)snapshot_id,
        "timestamp-ms", (json_int_t)now_ms, "summary", summary, "manifest-list", list_loc,
        "schema-id", (int)md->current_schema_id);
    if (snap == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = 0;
    if (parent != NULL) rc |= json_object_set_new(snap, "parent-snapshot-id", json_integer(parent->snapshot_id));
    if (md->format_version >= 3) {
        int64_t first = md->has_next_row_id ? md->next_row_id : 0;
        rc |= json_object_set_new(snap, "first-row-id", json_integer(first));
        rc |= json_object_set_new(snap, "added-rows", json_integer(next_row_id - first));
        rc |= json_object_set_new(doc, "next-row-id", json_integer(next_row_id));
    }
    json_t *snaps = json_object_get(doc, "snapshots");
    if (snaps == NULL) {
        snaps = json_array();
        rc |= json_object_set_new(doc, "snapshots", snaps);
    }
    rc |= json_array_append_new(snaps, snap);
    rc |= json_object_set_new(doc, "last-sequence-number", json_integer(seq));
    if (rc != 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return ice_commit_set_current(doc, snapshot_id, now_ms, err);
}

static void written_delete(io_fs *fs, const ice_written *w, int keep_attempt)
{
    for (size_t i = 0; i < w->len; i++) {
        if (keep_attempt != -2 && (w->attempts[i] == -1 || w->attempts[i] == keep_attempt))
            continue;
        fl_error ignored;
        io_remove(fs, w->locations[i], &ignored);
    }
}

int ice_table_property_i64(const ice_metadata *md, const char *key, int64_t dflt, int64_t *out,
                           fl_error *err)
{
    const char *v = ice_metadata_property(md, key);
    if (v == NULL) {
        *out = dflt;
        return 0;
    }
    if (fl_parse_i64(out, v, strlen(v), err) < 0 || *out < 0)
        return fl_error_set(err, FLOE_EINVAL, "table property \"%s\" is not a non-negative integer: \"%s\"",
                            key, v);
    return 0;
}

int ice_commit_set_current(json_t *doc, int64_t snapshot_id, int64_t now_ms, fl_error *err)
{
    json_t *refs = json_object_get(doc, "refs");
    if (refs == NULL) {
        refs = json_object();
        if (refs == NULL || json_object_set_new(doc, "refs", refs) < 0) goto oom;
    }
    json_t *main_ref = json_object_get(refs, "main");
    if (main_ref == NULL) {
        main_ref = json_pack("{s:I,s:s}", "snapshot-id", (json_int_t)snapshot_id, "type", "branch");
        if (main_ref == NULL || json_object_set_new(refs, "main", main_ref) < 0) goto oom;
    } else if (json_object_set_new(main_ref, "snapshot-id", json_integer(snapshot_id)) < 0) {
        goto oom;
    }
    if (json_object_set_new(doc, "current-snapshot-id", json_integer(snapshot_id)) < 0) goto oom;
    json_t *log = json_object_get(doc, "snapshot-log");
    if (log == NULL) {
        log = json_array();
        if (log == NULL || json_object_set_new(doc, "snapshot-log", log) < 0) goto oom;
    }
    json_t *e = json_pack("{s:I,s:I}", "timestamp-ms", (json_int_t)now_ms, "snapshot-id",
                          (json_int_t)snapshot_id);
    if (e == NULL || json_array_append_new(log, e) < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

/* The version number in "<dir>/<version>-<uuid>.metadata.json", or -1. */
static int64_t metadata_version(const char *location)
{
    const char *base = strrchr(location, '/');
    base = base ? base + 1 : location;
    const char *dash = strchr(base, '-');
    int64_t v;
    fl_error ignored;
    if (dash == NULL || dash == base || fl_parse_i64(&v, base, (size_t)(dash - base), &ignored) < 0)
        return -1;
    return v;
}

/* Adds the metadata-log entry for the base file, trims the log, stamps the
 * document. */
static int finish_doc(json_t *doc, const ice_table *t, int64_t now_ms, fl_error *err)
{
    int64_t max_prev;
    FL_TRY(ice_table_property_i64(t->md, "write.metadata.previous-versions-max", 100, &max_prev, err));
    json_t *log = json_object_get(doc, "metadata-log");
    if (log == NULL) {
        log = json_array();
        if (log == NULL || json_object_set_new(doc, "metadata-log", log) < 0) goto oom;
    }
    json_t *e = json_pack("{s:I,s:s}", "timestamp-ms", (json_int_t)t->md->last_updated_ms,
                          "metadata-file", t->metadata_location);
    if (e == NULL || json_array_append_new(log, e) < 0) goto oom;
    while ((int64_t)json_array_size(log) > max_prev) json_array_remove(log, 0);
    if (json_object_set_new(doc, "last-updated-ms", json_integer(now_ms)) < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

/* Parses the document, writes it as the next metadata file; *md and
 * *location are the caller's on success. */
static int write_metadata(ice_metadata **md_out, char **loc_out, const ice_table *t, json_t *doc,
                          fl_error *err)
{
    ice_metadata *md = NULL;
    fl_buf text;
    fl_buf_init(&text);
    char *loc = NULL;
    int rc = ice_metadata_from_json(&md, doc, err);
    if (rc == 0) rc = ice_metadata_write(&text, md, err);
    if (rc < 0) goto done;
    int64_t version = metadata_version(t->metadata_location);
    version = version < 0 ? (int64_t)t->md->metadata_log_count + 1 : version + 1;
    fl_uuid u;
    char uuid[FL_UUID_TEXT_LEN + 1];
    if ((rc = fl_uuid_v4(&u, err)) < 0) goto done;
    fl_uuid_format(&u, uuid);
    size_t n = strlen(md->location) + 96;
    if ((loc = fl_malloc(n)) == NULL) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(loc, n, "%s/metadata/%05lld-%s.metadata.json", md->location, (long long)version, uuid);
    if ((rc = io_write_file(t->fs, loc, IO_CREATE_EXCLUSIVE, text.data, text.len, err)) < 0) goto done;
    *md_out = md;
    *loc_out = loc;
    md = NULL;
    loc = NULL;
done:
    ice_metadata_free(md);
    fl_free(loc);
    fl_buf_dispose(&text);
    return rc;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Java's Tasks backoff for retry number `retry` (1-based), with jitter. */
static int64_t backoff_ms(int64_t min_wait, int64_t max_wait, int retry)
{
    double d = (double)min_wait;
    for (int i = 1; i < retry && d < (double)max_wait; i++) d *= 2;
    int64_t delay = d > (double)max_wait ? max_wait : (int64_t)d;
    int64_t jitter_span = delay / 10 > 1 ? delay / 10 : 1;
    fl_uuid u;
    fl_error ignored;
    uint32_t r = 0;
    if (fl_uuid_v4(&u, &ignored) == 0) memcpy(&r, u.b, sizeof(r));
    return delay + (int64_t)(r % (uint64_t)jitter_span);
}

typedef struct retry_policy {
    int64_t num_retries, min_wait, max_wait, total_timeout;
} retry_policy;

static int retry_policy_read(retry_policy *p, const ice_metadata *md, fl_error *err)
{
    FL_TRY(ice_table_property_i64(md, "commit.retry.num-retries", 4, &p->num_retries, err));
    FL_TRY(ice_table_property_i64(md, "commit.retry.min-wait-ms", 100, &p->min_wait, err));
    FL_TRY(ice_table_property_i64(md, "commit.retry.max-wait-ms", 60000, &p->max_wait, err));
    FL_TRY(ice_table_property_i64(md, "commit.retry.total-timeout-ms", 1800000, &p->total_timeout, err));
    return 0;
}

/* One attempt: apply, write, swap. *new_md / *new_loc are set on success. */
static int attempt_once(ice_table *t, ice_commit_apply_fn apply, void *ctx, int attempt,
                        ice_written *written, ice_metadata **new_md, char **new_loc,
                        fl_error *err)
{
    json_t *doc = NULL;
    int64_t now = ice_now_ms();
    if (now <= t->md->last_updated_ms) now = t->md->last_updated_ms + 1;
    int rc = ice_metadata_to_json(&doc, t->md, err);
    if (rc == 0) rc = apply(ctx, t, doc, attempt, now, written, err);
    if (rc == 0) rc = finish_doc(doc, t, now, err);
    if (rc == 0) rc = write_metadata(new_md, new_loc, t, doc, err);
    json_decref(doc);
    if (rc < 0) return rc;
    if ((rc = ice_written_add(written, *new_loc, attempt, err)) < 0) return rc;
    return cat_table_commit(t->catalog, t->ns, t->name, t->metadata_location, *new_loc, err);
}

int ice_commit_run(ice_table *t, ice_commit_apply_fn apply, void *ctx, ice_commit_stats *stats,
                   fl_error *err)
{
    retry_policy policy;
    ice_written written;
    ice_written_init(&written);
    ice_commit_stats local = {0};
    if (stats == NULL) stats = &local;
    stats->attempts = stats->conflicts = 0;
    int64_t start = ice_now_ms();
    int rc;
    for (int attempt = 0;; attempt++) {
        ice_metadata *new_md = NULL;
        char *new_loc = NULL;
        if ((rc = retry_policy_read(&policy, t->md, err)) < 0) break;
        stats->attempts++;
        rc = attempt_once(t, apply, ctx, attempt, &written, &new_md, &new_loc, err);
        if (rc == 0) {
            ice_table_set_state(t, new_loc, new_md);
            written_delete(t->fs, &written, attempt);   /* earlier attempts' files */
            break;
        }
        ice_metadata_free(new_md);
        fl_free(new_loc);
        if (rc == FLOE_EUNKNOWN) {
            ice_written_dispose(&written);   /* forget, never delete */
            return rc;
        }
        if (rc != FLOE_ECONFLICT) break;
        stats->conflicts++;
        if (attempt >= policy.num_retries ||
            ice_now_ms() - start >= policy.total_timeout) {
            fl_error_prefix(err, "commit to table \"%s.%s\" failed after %d attempts: ", t->ns,
                            t->name, attempt + 1);
            break;
        }
        sleep_ms(backoff_ms(policy.min_wait, policy.max_wait, attempt + 1));
        fl_error refresh_err;
        if ((rc = ice_table_refresh(t, &refresh_err)) < 0) {
            *err = refresh_err;
            break;
        }
    }
    if (rc < 0) written_delete(t->fs, &written, -2);
    ice_written_dispose(&written);
    return rc;
}
