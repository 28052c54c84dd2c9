/*
 * ext_table.c: external tables over raw files: the CREATE statement's
 * forms (Athena, Spark) turned into a stored JSON definition, and the
 * definition turned back into a plan_table_source for the binder.
 * See ext_table.h for the accepted spellings and their meaning.
 */
#include "ext_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/type.h"

bool ext_table_is_external(const sql_stmt *stmt)
{
    if (stmt->kind != SQL_STMT_CREATE_TABLE || stmt->u.create_table.as_query) return false;
    const char *using = stmt->u.create_table.using_format;
    const char *stored = stmt->u.create_table.stored_as;
    if (stmt->u.create_table.external) return true;
    if (using && (!strcmp(using, "csv") || !strcmp(using, "text") || !strcmp(using, "parquet")))
        return true;
    if (stmt->u.create_table.field_delimiter || stmt->u.create_table.serde) return true;
    if (stored && (!strcmp(stored, "textfile") || !strcmp(stored, "parquet")) &&
        stmt->u.create_table.location)
        return true;
    return false;
}

/* The text of a literal option value ('x', x, true, 1). */
static const char *prop_text(const sql_property *p)
{
    if (!p->value) return "";
    if (p->value->kind == SQL_EXPR_LITERAL) {
        if (p->value->u.lit.kind == SQL_LIT_BOOL) return p->value->u.lit.boolean ? "true" : "false";
        return p->value->u.lit.text ? p->value->u.lit.text : "";
    }
    if (p->value->kind == SQL_EXPR_COLUMN && p->value->u.column.count == 1)
        return p->value->u.column.parts[0].name;
    return NULL;
}

static const char *find_prop(const sql_property *props, uint32_t n, const char *key)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcasecmp(props[i].key, key)) return prop_text(&props[i]);
    return NULL;
}

static bool truthy(const char *s)
{
    return s && (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "yes"));
}

/* A column's declared type as fl_type (scalar types only). */
static int column_type(fl_type *out, const sql_type *t, fl_error *err)
{
    if (t->child_count)
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000",
                                     "external tables take scalar column types, not %s", t->name);
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s", t->name);
    for (uint32_t i = 0; i < t->param_count && n < (int)sizeof buf - 24; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%lld", i ? "," : "(",
                      (long long)t->params[i]);
    if (t->param_count) snprintf(buf + n, sizeof buf - (size_t)n, ")");
    if (fl_type_parse(out, buf, strlen(buf), NULL) < 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42704", "type \"%s\" does not exist", buf);
    return 0;
}

/* Absolute location: kept when absolute or a URI, else under the warehouse. */
static int resolve_location(fl_buf *out, const char *warehouse, const char *loc)
{
    if (loc[0] == '/' || strstr(loc, "://")) return fl_buf_append_str(out, loc);
    const char *w = warehouse;
    if (!strncmp(w, "file://", 7)) w += 7;
    FL_TRY(fl_buf_append_str(out, w));
    if (out->len && out->data[out->len - 1] != '/') FL_TRY(fl_buf_append_byte(out, '/'));
    return fl_buf_append_str(out, loc);
}

int ext_table_create(cat_catalog *cat, const char *warehouse, const char *ns, const char *name,
                     const sql_stmt *stmt, fl_error *err)
{
    const __typeof__(stmt->u.create_table) *ct = &stmt->u.create_table;
    const char *format = "csv";
    const char *location = ct->location;
    const char *delim = ct->field_delimiter;
    const char *null_string = "";
    bool header = false;
    if (ct->using_format) {
        if (!strcmp(ct->using_format, "parquet")) format = "parquet";
        location = location ? location : find_prop(ct->options, ct->option_count, "path");
        const char *d = find_prop(ct->options, ct->option_count, "delimiter");
        if (!d) d = find_prop(ct->options, ct->option_count, "sep");
        if (d) delim = d;
        header = truthy(find_prop(ct->options, ct->option_count, "header"));
        const char *nv = find_prop(ct->options, ct->option_count, "nullValue");
        if (nv) null_string = nv;
    }
    if (ct->stored_as && !strcmp(ct->stored_as, "parquet")) format = "parquet";
    else if (ct->stored_as && strcmp(ct->stored_as, "textfile"))
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000",
                                     "external tables stored as %s are not supported (textfile "
                                     "and parquet are)",
                                     ct->stored_as);
    const char *sd = find_prop(ct->serde_props, ct->serde_prop_count, "field.delim");
    if (sd) delim = sd;
    const char *snull = find_prop(ct->serde_props, ct->serde_prop_count, "serialization.null.format");
    if (snull) null_string = snull;
    const char *skip = find_prop(ct->tblproperties, ct->tblproperty_count, "skip.header.line.count");
    if (skip && !strcmp(skip, "1")) header = true;
    if (!location || !*location)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601",
                                     "external table \"%s.%s\" needs a LOCATION (or OPTIONS (path "
                                     "...))",
                                     ns, name);
    if (!delim) delim = "\x01";   /* Hive's default field delimiter */
    if (!strcmp(delim, "\\t")) delim = "\t";
    if (strlen(delim) != 1)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601",
                                     "field delimiter \"%s\" must be one character", delim);
    if (ct->column_count == 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601",
                                     "external table \"%s.%s\" needs a column list", ns, name);
    fl_buf loc;
    fl_buf_init(&loc);
    json_t *doc = json_object(), *cols = json_array();
    int rc = resolve_location(&loc, warehouse, location);
    for (uint32_t i = 0; rc >= 0 && i < ct->column_count; i++) {
        fl_type t;
        if ((rc = column_type(&t, ct->columns[i].type, err)) < 0) break;
        char tname[64];
        fl_type_format(t, tname, sizeof tname);
        for (uint32_t j = 0; j < i; j++)
            if (!strcmp(ct->columns[j].name.name, ct->columns[i].name.name)) {
                rc = fl_error_set_sqlstate(err, FLOE_EINVAL, "42701",
                                           "column \"%s\" specified more than once",
                                           ct->columns[i].name.name);
                break;
            }
        if (rc < 0) break;
        json_array_append_new(cols, json_pack("[ss]", ct->columns[i].name.name, tname));
    }
    if (rc >= 0) {
        json_object_set_new(doc, "format", json_string(format));
        json_object_set_new(doc, "location", json_string(fl_buf_cstr(&loc)));
        json_object_set_new(doc, "delimiter", json_stringn(delim, 1));
        json_object_set_new(doc, "header", json_boolean(header));
        json_object_set_new(doc, "null", json_string(null_string));
        json_object_set_new(doc, "columns", cols);
        cols = NULL;
        char *text = json_dumps(doc, JSON_COMPACT);
        if (!text) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        else {
            rc = cat_external_create(cat, ns, name, text, err);
            if (rc == FLOE_EEXISTS && ct->if_not_exists) rc = 0;
            free(text);
        }
    }
    json_decref(cols);
    json_decref(doc);
    fl_buf_dispose(&loc);
    return rc < 0 ? rc : 0;
}

static char *arena_str(fl_arena *arena, const char *s)
{
    return fl_arena_memdup(arena, s, strlen(s) + 1);
}

int ext_table_lookup(plan_table_source **out, cat_catalog *cat, const char *ns,
                     const char *name, fl_arena *arena, fl_error *err)
{
    *out = NULL;
    char *text = NULL;
    FL_TRY(cat_external_load(cat, ns, name, &text, err));
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    fl_free(text);
    int rc = 0;
    json_t *cols = doc ? json_object_get(doc, "columns") : NULL;
    const char *format = doc ? json_string_value(json_object_get(doc, "format")) : NULL;
    const char *location = doc ? json_string_value(json_object_get(doc, "location")) : NULL;
    const char *delim = doc ? json_string_value(json_object_get(doc, "delimiter")) : NULL;
    const char *null_string = doc ? json_string_value(json_object_get(doc, "null")) : NULL;
    if (!doc || !json_is_array(cols) || !format || !location || !delim || !null_string) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "the definition of external table \"%s.%s\" is "
                          "malformed", ns, name);
        goto done;
    }
    plan_table_source *src = fl_arena_calloc(arena, sizeof *src);
    size_t n = json_array_size(cols);
    if (!src) goto oom;
    src->kind = PLAN_SOURCE_EXTERNAL;
    src->ns = arena_str(arena, ns);
    src->name = arena_str(arena, name);
    src->location = arena_str(arena, location);
    src->format = arena_str(arena, format);
    src->delimiter = delim[0];
    src->header = json_is_true(json_object_get(doc, "header"));
    src->null_string = arena_str(arena, null_string);
    src->column_names = fl_arena_calloc(arena, (n ? n : 1) * sizeof(char *));
    src->column_types = fl_arena_calloc(arena, (n ? n : 1) * sizeof(fl_type));
    if (!src->ns || !src->name || !src->location || !src->format || !src->null_string ||
        !src->column_names || !src->column_types)
        goto oom;
    src->column_count = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(cols, i);
        const char *cname = json_string_value(json_array_get(c, 0));
        const char *ctype = json_string_value(json_array_get(c, 1));
        if (!cname || !ctype) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "the definition of external table \"%s.%s\" is "
                              "malformed", ns, name);
            goto done;
        }
        if (!(src->column_names[i] = arena_str(arena, cname))) goto oom;
        if ((rc = fl_type_parse(&src->column_types[i], ctype, strlen(ctype), err)) < 0) goto done;
    }
    *out = src;
    goto done;
oom:
    rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
done:
    json_decref(doc);
    return rc < 0 ? rc : 0;
}

int ext_table_show_create(char **out, cat_catalog *cat, const char *ns, const char *name,
                          fl_error *err)
{
    *out = NULL;
    fl_arena *arena = fl_arena_new(0);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    plan_table_source *src;
    int rc = ext_table_lookup(&src, cat, ns, name, arena, err);
    fl_buf b;
    fl_buf_init(&b);
    if (rc >= 0) {
        fl_buf_appendf(&b, "CREATE EXTERNAL TABLE %s.%s (\n", ns, name);
        for (uint32_t i = 0; i < src->column_count; i++) {
            char tname[64];
            fl_type_format(src->column_types[i], tname, sizeof tname);
            fl_buf_appendf(&b, "   %s %s%s\n", src->column_names[i], tname,
                           i + 1 < src->column_count ? "," : "");
        }
        if (!strcmp(src->format, "parquet")) {
            fl_buf_appendf(&b, ")\nSTORED AS PARQUET\nLOCATION '%s'", src->location);
        } else {
            char d[8];
            if (src->delimiter == '\t') snprintf(d, sizeof d, "\\t");
            else snprintf(d, sizeof d, "%c", src->delimiter);
            fl_buf_appendf(&b, ")\nROW FORMAT DELIMITED FIELDS TERMINATED BY '%s'\nLOCATION '%s'",
                           d, src->location);
            if (src->header) fl_buf_append_str(&b, "\nTBLPROPERTIES ('skip.header.line.count'='1')");
        }
        size_t len;
        *out = fl_buf_detach(&b, &len);
        if (!*out) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    fl_buf_dispose(&b);
    fl_arena_free(arena);
    return rc < 0 ? rc : 0;
}
