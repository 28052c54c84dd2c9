/*
 * table_read.c: binding the file-reading table functions (func.h's
 * fn_table_bind / fn_table_exists):
 *
 *   read_parquet('glob' [, 'glob' ...])
 *   read_csv('glob' [, ...], delim = '|', header = false,
 *            columns = {'a': 'integer', ...}, nullstr = '', quote = '"')
 *   read_csv_auto(...)        read_csv with every option detected
 *
 * A list argument (['a.parquet', 'b.parquet']) arrives from the binder as
 * several positional string arguments. Paths are local files (or whatever
 * the process's local FileIO reads); relative paths are relative to the
 * working directory. bind resolves the globs, reads the Parquet schema or
 * sniffs the CSV columns (table_files.c) and cuts the morsels; bind_data is
 * an fn_file_scan (table_files.h) that src/exec/op/table_fn.c executes.
 * "delimiter" and "sep" are accepted for delim; "null" and "nullstr" for
 * the NULL string; "auto_detect" is accepted and ignored.
 */
#include <string.h>
#include <strings.h>

#include "func.h"
#include "table_files.h"

static void free_fs(void *arg) { io_fs_free((io_fs *)arg); }

bool fn_table_exists(const char *name)
{
    return strcasecmp(name, "read_parquet") == 0 || strcasecmp(name, "parquet_scan") == 0 ||
           strcasecmp(name, "read_csv") == 0 || strcasecmp(name, "read_csv_auto") == 0;
}

static int string_arg(const char **out, const fl_value *v, const char *fn, const char *what,
                      fl_arena *arena, fl_error *err)
{
    if (v->is_null || v->type.id != FL_TYPE_STRING)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "%s: %s must be a string", fn, what);
    *out = fl_arena_strndup(arena, v->v.s.ptr, v->v.s.len);
    if (*out == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static int char_arg(char *out, const fl_value *v, const char *fn, const char *key, fl_arena *arena,
                    fl_error *err)
{
    const char *s;
    FL_TRY(string_arg(&s, v, fn, key, arena, err));
    if (strcmp(s, "\\t") == 0) s = "\t";
    if (strlen(s) > 1)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023",
                                     "%s: %s must be a single character, not \"%s\"", fn, key, s);
    *out = s[0];
    return 0;
}

static int csv_options(fn_file_scan *s, bool *header_known, const fn_table_args *args,
                       const char *fn, fl_arena *arena, fl_error *err)
{
    fn_files *f = &s->files;
    for (uint32_t i = 0; i < args->named_count; i++) {
        const char *k = args->named_keys[i];
        const fl_value *v = &args->named_values[i];
        if (strcasecmp(k, "delim") == 0 || strcasecmp(k, "delimiter") == 0 ||
            strcasecmp(k, "sep") == 0) {
            FL_TRY(char_arg(&f->delimiter, v, fn, k, arena, err));
            if (f->delimiter == 0 || f->delimiter == '\n' || f->delimiter == '\r')
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "%s: invalid delimiter", fn);
        } else if (strcasecmp(k, "quote") == 0) {
            FL_TRY(char_arg(&f->quote, v, fn, k, arena, err));
        } else if (strcasecmp(k, "header") == 0) {
            if (v->is_null || v->type.id != FL_TYPE_BOOL)
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "%s: header must be a boolean", fn);
            f->header = v->v.b;
            *header_known = true;
        } else if (strcasecmp(k, "nullstr") == 0 || strcasecmp(k, "null") == 0) {
            FL_TRY(string_arg(&f->null_str, v, fn, k, arena, err));
        } else if (strcasecmp(k, "auto_detect") == 0 || strcasecmp(k, "columns") == 0) {
            /* columns arrive parsed in args->column_names */
        } else {
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "%s: unknown option \"%s\"", fn, k);
        }
    }
    return 0;
}

int fn_table_bind(fn_table_bind_result *out, const char *name, const fn_table_args *args,
                  fl_arena *arena, fl_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!fn_table_exists(name))
        return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42883", "table function %s does not exist", name);
    bool parquet = strcasecmp(name, "read_parquet") == 0 || strcasecmp(name, "parquet_scan") == 0;
    if (args->arg_count == 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42883", "%s needs a file name or pattern", name);
    fn_file_scan *s = fl_arena_calloc(arena, sizeof(*s));
    const char **locs = fl_arena_alloc(arena, args->arg_count * sizeof(char *));
    if (s == NULL || locs == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < args->arg_count; i++)
        FL_TRY(string_arg(&locs[i], &args->args[i], name, "the file name", arena, err));
    s->files.fs = io_local_new();
    if (s->files.fs == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (fl_arena_on_reset(arena, free_fs, s->files.fs) < 0) {
        io_fs_free(s->files.fs);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    s->files.format = parquet ? FN_FILE_PARQUET : FN_FILE_CSV;
    s->files.quote = '"';
    s->files.null_str = "";
    bool header_known = false;
    if (parquet) {
        if (args->named_count > 0)
            for (uint32_t i = 0; i < args->named_count; i++)
                if (strcasecmp(args->named_keys[i], "binary_as_string") != 0)
                    return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601",
                                                 "%s: unknown option \"%s\"", name, args->named_keys[i]);
    } else {
        FL_TRY(csv_options(s, &header_known, args, name, arena, err));
        if (args->column_count > 0) {
            s->files.column_count = args->column_count;
            s->files.column_names = fl_arena_alloc(arena, args->column_count * sizeof(char *));
            s->files.column_types = fl_arena_alloc(arena, args->column_count * sizeof(fl_type));
            if (s->files.column_names == NULL || s->files.column_types == NULL)
                return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            for (uint32_t i = 0; i < args->column_count; i++) {
                s->files.column_names[i] = args->column_names[i];
                s->files.column_types[i] = args->column_types[i];
            }
            if (s->files.delimiter == 0) s->files.delimiter = ',';
        }
    }
    FL_TRY(fn_file_scan_resolve(s, locs, args->arg_count, arena, err));
    FL_TRY(fn_file_scan_prepare(s, header_known, arena, err));
    out->column_names = s->files.column_names;
    out->column_types = s->files.column_types;
    out->column_count = s->files.column_count;
    out->bind_data = s;
    out->estimated_rows = s->estimated_rows >= 0 ? (double)s->estimated_rows : 0;
    return 0;
}
