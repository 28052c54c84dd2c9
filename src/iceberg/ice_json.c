/*
 * ice_json.c: typed member access and construction helpers over jansson,
 * shared by every Iceberg JSON reader and writer (see ice_json.h).
 */
#include "ice_json.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"

const json_t *ice_json_member(const json_t *obj, const char *key)
{
    if (!json_is_object(obj)) return NULL;
    const json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) return NULL;
    return v;
}

static int missing(const char *key, const char *what, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "%s is missing required field \"%s\"", what, key);
}

static int wrong(const char *key, const char *what, const char *expected, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "%s field \"%s\" must be %s", what, key, expected);
}

bool ice_json_as_i64(const json_t *v, int64_t *out)
{
    if (!json_is_integer(v)) return false;
    *out = (int64_t)json_integer_value(v);
    return true;
}

int ice_json_opt_i64(const json_t *obj, const char *key, int64_t *out, bool *present,
                     const char *what, fl_error *err)
{
    const json_t *v = ice_json_member(obj, key);
    if (present) *present = v != NULL;
    if (v == NULL) return 0;
    if (!ice_json_as_i64(v, out)) return wrong(key, what, "an integer", err);
    return 0;
}

int ice_json_req_i64(const json_t *obj, const char *key, int64_t *out, const char *what,
                     fl_error *err)
{
    bool present;
    FL_TRY(ice_json_opt_i64(obj, key, out, &present, what, err));
    return present ? 0 : missing(key, what, err);
}

int ice_json_opt_i32(const json_t *obj, const char *key, int32_t *out, bool *present,
                     const char *what, fl_error *err)
{
    int64_t v = 0;
    bool here;
    FL_TRY(ice_json_opt_i64(obj, key, &v, &here, what, err));
    if (present) *present = here;
    if (!here) return 0;
    if (v < INT32_MIN || v > INT32_MAX) return wrong(key, what, "a 32-bit integer", err);
    *out = (int32_t)v;
    return 0;
}

int ice_json_req_i32(const json_t *obj, const char *key, int32_t *out, const char *what,
                     fl_error *err)
{
    bool present;
    FL_TRY(ice_json_opt_i32(obj, key, out, &present, what, err));
    return present ? 0 : missing(key, what, err);
}

int ice_json_opt_bool(const json_t *obj, const char *key, bool *out, bool *present,
                      const char *what, fl_error *err)
{
    const json_t *v = ice_json_member(obj, key);
    if (present) *present = v != NULL;
    if (v == NULL) return 0;
    if (!json_is_boolean(v)) return wrong(key, what, "a boolean", err);
    *out = json_is_true(v);
    return 0;
}

int ice_json_req_bool(const json_t *obj, const char *key, bool *out, const char *what,
                      fl_error *err)
{
    bool present;
    FL_TRY(ice_json_opt_bool(obj, key, out, &present, what, err));
    return present ? 0 : missing(key, what, err);
}

int ice_json_opt_str(const json_t *obj, const char *key, fl_arena *arena, const char **out,
                     const char *what, fl_error *err)
{
    const json_t *v = ice_json_member(obj, key);
    *out = NULL;
    if (v == NULL) return 0;
    if (!json_is_string(v)) return wrong(key, what, "a string", err);
    char *s = fl_arena_strndup(arena, json_string_value(v), json_string_length(v));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *out = s;
    return 0;
}

int ice_json_req_str(const json_t *obj, const char *key, fl_arena *arena, const char **out,
                     const char *what, fl_error *err)
{
    FL_TRY(ice_json_opt_str(obj, key, arena, out, what, err));
    return *out ? 0 : missing(key, what, err);
}

int ice_json_opt_array(const json_t *obj, const char *key, const json_t **out, const char *what,
                       fl_error *err)
{
    const json_t *v = ice_json_member(obj, key);
    *out = NULL;
    if (v == NULL) return 0;
    if (!json_is_array(v)) return wrong(key, what, "an array", err);
    *out = v;
    return 0;
}

int ice_json_req_array(const json_t *obj, const char *key, const json_t **out, const char *what,
                       fl_error *err)
{
    FL_TRY(ice_json_opt_array(obj, key, out, what, err));
    return *out ? 0 : missing(key, what, err);
}

int ice_json_opt_object(const json_t *obj, const char *key, const json_t **out,
                        const char *what, fl_error *err)
{
    const json_t *v = ice_json_member(obj, key);
    *out = NULL;
    if (v == NULL) return 0;
    if (!json_is_object(v)) return wrong(key, what, "an object", err);
    *out = v;
    return 0;
}

int ice_json_i32_array(const json_t *arr, fl_arena *arena, int32_t **out, size_t *count,
                       const char *what, fl_error *err)
{
    size_t n = json_array_size(arr);
    int32_t *v = fl_arena_alloc(arena, (n ? n : 1) * sizeof(int32_t));
    if (v == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int64_t x;
        if (!ice_json_as_i64(json_array_get(arr, i), &x) || x < INT32_MIN || x > INT32_MAX)
            return fl_error_set(err, FLOE_ECORRUPT, "%s must hold 32-bit integers", what);
        v[i] = (int32_t)x;
    }
    *out = v;
    *count = n;
    return 0;
}

int ice_json_source_ids(const json_t *j, fl_arena *arena, const char *kind, const char *name,
                        const char *what, int32_t *first, const int32_t **ids, size_t *count,
                        bool *multi, fl_error *err)
{
    const json_t *arr;
    bool has_one;
    FL_TRY(ice_json_opt_i32(j, "source-id", first, &has_one, what, err));
    FL_TRY(ice_json_opt_array(j, "source-ids", &arr, what, err));
    if (arr) {
        char label[64];
        snprintf(label, sizeof label, "%s source-ids", kind);
        int32_t *v;
        FL_TRY(ice_json_i32_array(arr, arena, &v, count, label, err));
        if (*count == 0)
            return name ? fl_error_set(err, FLOE_ECORRUPT, "%s \"%s\" has empty source-ids", kind, name)
                        : fl_error_set(err, FLOE_ECORRUPT, "%s has empty source-ids", kind);
        *ids = v;
        *first = v[0];
        *multi = true;
    } else if (has_one) {
        int32_t *v = fl_arena_alloc(arena, sizeof(int32_t));
        if (v == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        *v = *first;
        *ids = v;
        *count = 1;
    } else {
        return name ? fl_error_set(err, FLOE_ECORRUPT, "%s \"%s\" has neither source-id nor source-ids", kind,
                                   name)
                    : fl_error_set(err, FLOE_ECORRUPT, "%s has neither source-id nor source-ids", kind);
    }
    return 0;
}

int ice_json_put_source_ids(json_t *obj, bool multi, const int32_t *ids, size_t count, int32_t first)
{
    if (multi) return ice_json_put(obj, "source-ids", ice_json_from_i32_array(ids, count));
    return ice_json_put_i64(obj, "source-id", first);
}

json_t *ice_json_objects(const void *ctx, size_t n, int (*fill)(json_t *o, const void *ctx, size_t i))
{
    json_t *arr = json_array();
    int rc = arr ? 0 : FLOE_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *o = json_object();
        rc = o ? 0 : FLOE_ENOMEM;
        if (rc == 0) rc = fill(o, ctx, i);
        if (rc == 0) rc = ice_json_append(arr, o);
        else json_decref(o);
    }
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

int ice_json_str_map(const json_t *obj, fl_arena *arena, ice_kv **out, size_t *count,
                     const char *what, fl_error *err)
{
    size_t n = json_object_size(obj);
    ice_kv *kv = fl_arena_alloc(arena, (n ? n : 1) * sizeof(ice_kv));
    if (kv == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val) {
        char buf[32];
        const char *text;
        size_t len;
        /* Java reads numbers and booleans in string maps as their text */
        if (json_is_string(val)) {
            text = json_string_value(val);
            len = json_string_length(val);
        } else if (json_is_integer(val)) {
            len = (size_t)snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(val));
            text = buf;
        } else if (json_is_boolean(val)) {
            text = json_is_true(val) ? "true" : "false";
            len = strlen(text);
        } else {
            return fl_error_set(err, FLOE_ECORRUPT, "%s value of \"%s\" must be a string", what,
                                key);
        }
        kv[i].key = fl_arena_strdup(arena, key);
        kv[i].value = fl_arena_strndup(arena, text, len);
        if (kv[i].key == NULL || kv[i].value == NULL)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        i++;
    }
    *out = kv;
    *count = i;
    return 0;
}

int ice_json_put(json_t *obj, const char *key, json_t *value)
{
    if (value == NULL) return FLOE_ENOMEM;
    if (json_object_set_new(obj, key, value) != 0) return FLOE_ENOMEM;
    return 0;
}

int ice_json_put_i64(json_t *obj, const char *key, int64_t v)
{
    return ice_json_put(obj, key, json_integer((json_int_t)v));
}

int ice_json_put_str(json_t *obj, const char *key, const char *s)
{
    return ice_json_put(obj, key, json_string(s));
}

int ice_json_put_bool(json_t *obj, const char *key, bool v)
{
    return ice_json_put(obj, key, json_boolean(v));
}

int ice_json_append(json_t *arr, json_t *value)
{
    if (value == NULL) return FLOE_ENOMEM;
    if (json_array_append_new(arr, value) != 0) return FLOE_ENOMEM;
    return 0;
}

json_t *ice_json_from_str_map(const ice_kv *kv, size_t count)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    for (size_t i = 0; i < count; i++) {
        if (ice_json_put_str(o, kv[i].key, kv[i].value) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

json_t *ice_json_from_i32_array(const int32_t *v, size_t count)
{
    json_t *a = json_array();
    if (a == NULL) return NULL;
    for (size_t i = 0; i < count; i++) {
        if (ice_json_append(a, json_integer(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Copies text to out, rewriting integer literals above INT64_MAX (up to
 * UINT64_MAX) as their wrapped int64 value. Strings are skipped. */
static int wrap_unsigned_literals(fl_buf *out, const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = p[i];
        if (c == '"') {
            size_t j = i + 1;
            while (j < len && p[j] != '"') j += p[j] == '\\' ? 2 : 1;
            j = j < len ? j + 1 : len;
            if (fl_buf_append(out, p + i, j - i) < 0) return FLOE_ENOMEM;
            i = j;
            continue;
        }
        bool starts = (c >= '0' && c <= '9') && (i == 0 || !((p[i - 1] >= '0' && p[i - 1] <= '9') ||
                                                             p[i - 1] == '.' || p[i - 1] == '-' ||
                                                             p[i - 1] == 'e' || p[i - 1] == 'E' ||
                                                             p[i - 1] == '+'));
        if (starts) {
            size_t j = i;
            uint64_t v = 0;
            bool overflow = false;
            while (j < len && p[j] >= '0' && p[j] <= '9') {
                unsigned d = (unsigned)(p[j] - '0');
                if (v > (UINT64_MAX - d) / 10) overflow = true;
                v = v * 10 + d;
                j++;
            }
            bool integer = j >= len || (p[j] != '.' && p[j] != 'e' && p[j] != 'E');
            if (integer && !overflow && v > (uint64_t)INT64_MAX) {
                if (fl_buf_appendf(out, "%lld", (long long)(int64_t)v) < 0) return FLOE_ENOMEM;
                i = j;
                continue;
            }
            if (fl_buf_append(out, p + i, j - i) < 0) return FLOE_ENOMEM;
            i = j;
            continue;
        }
        if (fl_buf_append_byte(out, (uint8_t)c) < 0) return FLOE_ENOMEM;
        i++;
    }
    return 0;
}

int ice_json_loadb(json_t **out, const char *text, size_t len, size_t flags, const char *what,
                   fl_error *err)
{
    json_error_t jerr;
    *out = json_loadb(text, len, flags, &jerr);
    if (*out) return 0;
    if (strstr(jerr.text, "too big integer") != NULL) {
        fl_buf fixed;
        fl_buf_init(&fixed);
        if (wrap_unsigned_literals(&fixed, text, len) < 0) {
            fl_buf_dispose(&fixed);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        *out = json_loadb(fixed.data ? fixed.data : "", fixed.len, flags, &jerr);
        fl_buf_dispose(&fixed);
        if (*out) return 0;
    }
    return fl_error_set(err, FLOE_ECORRUPT, "invalid %s JSON at line %d column %d: %s", what, jerr.line,
                        jerr.column, jerr.text);
}
