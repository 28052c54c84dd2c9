/*
 * pq_reader.c: opening Parquet files and scanning them batch by batch.
 *
 * pq_file_open does two range reads (the 8-byte tail, then the footer),
 * decodes the FileMetaData (pq_meta_read.c), builds the field tree
 * (pq_schema.c) and cross-checks the row groups against it. The pq_file is
 * read-only afterwards, so several scans may share it across threads.
 *
 * A pq_scan walks the chosen row groups (skipping those whose statistics
 * refute the predicates, pq_stats.c). Entering a row group fetches the
 * column chunks of the chosen columns' leaves, one read each
 * (pq_page_read.c); every pq_scan_next then decodes up to batch_rows rows of
 * the current row group into columns (pq_assemble.c). Batches do not cross
 * row groups. Page and chunk buffers that the returned strings may point into
 * are retired, not freed, and recycled at the start of the next call.
 * pq_scan_next_dict is the same walk, but a keep_dictionaries scan's flat
 * string/binary columns go through pq_assemble_dict and may come back as
 * dictionaries.
 *
 * A row range (first_row, end_row) narrows each row group to the rows inside
 * it: groups wholly outside are not fetched, and entering a group the leaves
 * pass over the rows before the range (pq_leaf_skip_rows: whole pages by
 * their headers); a group cut short at the range's end is left without the
 * end-of-chunk check.
 */
#include "pq_read_int.h"

#include <string.h>

#include "../../base/alloc.h"

#define TAIL 8
#define DEFAULT_BATCH 2048

static void collect_leaves(const pq_field *f, const pq_field **leaves, int n)
{
    if (f->n_children == 0 && f->leaf_index >= 0) {
        if (f->leaf_index < n) leaves[f->leaf_index] = f;
        return;
    }
    for (uint32_t i = 0; i < f->n_children; i++) collect_leaves(&f->children[i], leaves, n);
}

static int first_leaf_index(const pq_field *f)
{
    while (f->n_children) f = &f->children[0];
    return f->leaf_index;
}

/* true for parquet-mr before 1.2.9 (PARQUET-816), including "parquet-mr"
 * without a version. */
static bool needs_chunk_padding(const char *created_by)
{
    if (!created_by || strncmp(created_by, "parquet-mr", 10) != 0) return false;
    const char *v = strstr(created_by, "version ");
    if (!v) return true;
    v += 8;
    long part[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (*v < '0' || *v > '9') break;
        while (*v >= '0' && *v <= '9' && part[i] < 100000) part[i] = part[i] * 10 + (*v++ - '0');
        if (*v != '.') break;
        v++;
    }
    if (part[0] != 1) return part[0] < 1;
    if (part[1] != 2) return part[1] < 2;
    return part[2] < 9;
}

static int check_row_groups(pq_file *file, fl_error *err)
{
    const pq_file_meta *m = file->meta;
    if (m->num_rows < 0)
        return fl_error_set(err, FLOE_ECORRUPT, "could not read \"%s\": negative row count %lld",
                            file->location, (long long)m->num_rows);
    for (int32_t g = 0; g < m->n_row_groups; g++) {
        const pq_row_group *rg = &m->row_groups[g];
        if (rg->num_rows < 0)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "could not read \"%s\": row group %d has a negative row count",
                                file->location, g);
        if (rg->n_columns != file->n_leaves)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "could not read \"%s\": row group %d has %d column chunks but the "
                                "schema has %d leaf columns", file->location, g, rg->n_columns,
                                file->n_leaves);
    }
    return 0;
}

int pq_file_open(pq_file **out, io_reader *src, fl_error *err)
{
    *out = NULL;
    int rc = 0;
    uint8_t *footer = NULL;
    pq_file *file = fl_calloc(1, sizeof *file);
    if (!file) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    file->src = src;
    file->location = src->location ? src->location : "(memory)";
    file->arena = fl_arena_new(0);
    if (!file->arena) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    uint64_t size = src->size;
    if (size < 12) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "could not read \"%s\": file of %llu bytes is too small "
                          "to be a Parquet file", file->location, (unsigned long long)size);
        goto done;
    }
    uint8_t tail[TAIL];
    if ((rc = io_read_at(src, size - TAIL, tail, TAIL, err)) < 0) goto done;
    if (memcmp(tail + 4, "PARE", 4) == 0) {
        rc = fl_error_set(err, FLOE_EUNSUPPORTED,
                          "could not read \"%s\": encrypted Parquet footers are not supported",
                          file->location);
        goto done;
    }
    if (memcmp(tail + 4, "PAR1", 4) != 0) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "could not read \"%s\": not a Parquet file (bad magic)",
                          file->location);
        goto done;
    }
    uint32_t flen = fl_load_u32le(tail);
    if (flen == 0 || (uint64_t)flen > size - 12) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "could not read \"%s\": footer length %u does not fit "
                          "the file (%llu bytes)", file->location, flen, (unsigned long long)size);
        goto done;
    }
    footer = fl_malloc(flen);
    if (!footer) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory reading a footer of %u bytes", flen);
        goto done;
    }
    if ((rc = io_read_at(src, size - TAIL - flen, footer, flen, err)) < 0) goto done;
    if ((rc = pq_file_meta_read(&file->meta, footer, flen, file->arena, err)) < 0) {
        fl_error_prefix(err, "could not read \"%s\": ", file->location);
        goto done;
    }
    if ((rc = pq_schema_build(&file->root, file->meta, file->arena, err)) < 0) {
        fl_error_prefix(err, "could not read \"%s\": ", file->location);
        goto done;
    }
    file->n_leaves = pq_field_leaf_count(file->root);
    file->leaves = fl_arena_calloc(file->arena, ((size_t)file->n_leaves + 1) * sizeof *file->leaves);
    file->top_leaf_begin = fl_arena_calloc(file->arena, ((size_t)file->root->n_children + 1) * sizeof(int));
    if (!file->leaves || !file->top_leaf_begin) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    collect_leaves(file->root, file->leaves, file->n_leaves);
    for (uint32_t i = 0; i < file->root->n_children; i++)
        file->top_leaf_begin[i] = first_leaf_index(&file->root->children[i]);
    file->top_leaf_begin[file->root->n_children] = file->n_leaves;
    if ((rc = check_row_groups(file, err)) < 0) goto done;
    file->pad_chunks = needs_chunk_padding(file->meta->created_by);
done:
    fl_free(footer);
    if (rc < 0) {
        fl_arena_free(file->arena);
        fl_free(file);
        return rc;
    }
    *out = file;
    return 0;
}

int pq_file_open_path(pq_file **out, const char *path, fl_error *err)
{
    io_reader *r = NULL;
    FL_TRY(io_open_local(path, &r, err));
    int rc = pq_file_open(out, r, err);
    if (rc < 0) {
        io_reader_close(r);
        return rc;
    }
    (*out)->owns_src = true;
    return 0;
}

void pq_file_free(pq_file *file)
{
    if (!file) return;
    if (file->owns_src) io_reader_close(file->src);
    fl_arena_free(file->arena);
    fl_free(file);
}

const pq_file_meta *pq_file_metadata(const pq_file *file) { return file->meta; }
const pq_field *pq_file_schema(const pq_file *file) { return file->root; }
int64_t pq_file_num_rows(const pq_file *file) { return file->meta->num_rows; }
int pq_file_num_row_groups(const pq_file *file) { return file->meta->n_row_groups; }

int pq_file_column_index(const pq_file *file, const char *name)
{
    for (uint32_t i = 0; i < file->root->n_children; i++)
        if (strcmp(file->root->children[i].name, name) == 0) return (int)i;
    return -1;
}

/* ---- scans ---- */

/* a + b for row counts (both >= 0), saturating instead of overflowing on
 * hostile footers */
static int64_t add_rows(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

struct pq_scan {
    pq_file *file;
    int *columns;
    int n_columns;
    pq_predicate *preds;
    int n_preds;
    int rg, rg_end;
    int64_t rg_first_row;   /* file row number of row group rg's first row */
    int64_t first_row, end_row;   /* the row range; end_row INT64_MAX = to the end */
    int64_t rows_left;
    bool in_rg;
    bool rg_cut;            /* the range ends inside the current row group */
    int failed;
    size_t batch_rows;
    int skipped;
    pq_leaf *leaves;
    int n_leaves;
    int *col_leaf_begin;   /* per output column, into leaves; [n_columns] = n_leaves */
    pq_arena_pool pool;
};

int pq_scan_new(pq_scan **out, pq_file *file, const pq_scan_opts *opts, fl_error *err)
{
    *out = NULL;
    pq_scan_opts defaults = {0};
    if (!opts) opts = &defaults;
    int ncols_file = (int)file->root->n_children;
    int n = opts->columns ? opts->n_columns : ncols_file;
    if (n < 0) return fl_error_set(err, FLOE_EINVAL, "negative column count");
    for (int i = 0; opts->columns && i < n; i++)
        if (opts->columns[i] < 0 || opts->columns[i] >= ncols_file)
            return fl_error_set(err, FLOE_EINVAL, "column %d does not exist in \"%s\" (%d columns)",
                                opts->columns[i], file->location, ncols_file);
    int ngroups = file->meta->n_row_groups;
    int end = opts->row_group_end ? opts->row_group_end : ngroups;
    if (opts->row_group_begin < 0 || end > ngroups || opts->row_group_begin > end)
        return fl_error_set(err, FLOE_EINVAL, "row group range [%d, %d) is outside the %d row groups of \"%s\"",
                            opts->row_group_begin, end, ngroups, file->location);
    if (opts->n_preds < 0 || (opts->n_preds && !opts->preds))
        return fl_error_set(err, FLOE_EINVAL, "bad predicate list");
    if (opts->first_row < 0 || opts->end_row < 0 || (opts->end_row && opts->first_row > opts->end_row))
        return fl_error_set(err, FLOE_EINVAL, "row range [%lld, %lld) of \"%s\" is invalid",
                            (long long)opts->first_row, (long long)opts->end_row, file->location);
    pq_scan *s = fl_calloc(1, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->file = file;
    s->n_columns = n;
    s->rg = opts->row_group_begin;
    s->rg_end = end;
    s->first_row = opts->first_row;
    s->end_row = opts->end_row ? opts->end_row : INT64_MAX;
    for (int g = 0; g < s->rg; g++) s->rg_first_row = add_rows(s->rg_first_row, file->meta->row_groups[g].num_rows);
    s->batch_rows = opts->batch_rows ? opts->batch_rows : DEFAULT_BATCH;
    s->columns = fl_malloc(((size_t)n + 1) * sizeof(int));
    s->col_leaf_begin = fl_malloc(((size_t)n + 1) * sizeof(int));
    if (opts->n_preds) s->preds = fl_malloc((size_t)opts->n_preds * sizeof *s->preds);
    if (!s->columns || !s->col_leaf_begin || (opts->n_preds && !s->preds)) goto oom;
    if (opts->n_preds) memcpy(s->preds, opts->preds, (size_t)opts->n_preds * sizeof *s->preds);
    s->n_preds = opts->n_preds;
    int total = 0;
    for (int i = 0; i < n; i++) {
        int c = opts->columns ? opts->columns[i] : i;
        s->columns[i] = c;
        s->col_leaf_begin[i] = total;
        total += file->top_leaf_begin[c + 1] - file->top_leaf_begin[c];
    }
    s->col_leaf_begin[n] = total;
    s->n_leaves = total;
    s->leaves = fl_calloc((size_t)total + 1, sizeof *s->leaves);
    if (!s->leaves) goto oom;
    for (int i = 0; i < n; i++) {
        int c = s->columns[i];
        for (int k = file->top_leaf_begin[c]; k < file->top_leaf_begin[c + 1]; k++)
            pq_leaf_init(&s->leaves[s->col_leaf_begin[i] + k - file->top_leaf_begin[c]], file,
                         file->leaves[k], opts);
        /* pq_assemble_column's flat path reads these leaves */
        const pq_field *f = &file->root->children[c];
        if (f->n_children == 0 && f->max_rep == 0 && s->col_leaf_begin[i + 1] - s->col_leaf_begin[i] == 1) {
            pq_leaf *l = &s->leaves[s->col_leaf_begin[i]];
            l->flat = true;
            /* pq_scan_next_dict may hand its batches out as dictionaries */
            l->dict_ok = opts->keep_dictionaries && l->phys == PQ_BYTE_ARRAY &&
                         (l->type.id == FL_TYPE_STRING || l->type.id == FL_TYPE_BINARY);
        }
    }
    *out = s;
    return 0;
oom:
    pq_scan_free(s);
    return fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

/* Enters row group rg to read its rows [skip, skip + rows): leaves fetch
 * their chunks and pass over the first `skip` rows. */
static int enter_row_group(pq_scan *s, int64_t skip, int64_t rows, fl_error *err)
{
    /* a range cutting the group reads its chunks in windows: the bodies of
     * pages before the range and the pages after it are not read at all */
    int64_t group_rows = s->file->meta->row_groups[s->rg].num_rows;
    bool cut = skip > 0 || skip + rows < group_rows;
    for (int i = 0; i < s->n_leaves; i++) {
        s->leaves[i].windowed = cut;
        s->leaves[i].range_frac = (double)rows / (double)group_rows;
        FL_TRY(pq_leaf_open_chunk(&s->leaves[i], &s->pool, s->rg, err));
    }
    if (skip > 0)
        for (int i = 0; i < s->n_leaves; i++) FL_TRY(pq_leaf_skip_rows(&s->leaves[i], &s->pool, skip, err));
    s->rows_left = rows;
    s->rg_cut = skip + rows < s->file->meta->row_groups[s->rg].num_rows;
    s->in_rg = true;
    return 0;
}

static void next_row_group(pq_scan *s)
{
    s->rg_first_row = add_rows(s->rg_first_row, s->file->meta->row_groups[s->rg].num_rows);
    s->rg++;
}

static int leave_row_group(pq_scan *s, fl_error *err)
{
    /* a chunk read to its end must hold no more values; one cut short by the
     * row range has more, unread */
    if (!s->rg_cut)
        for (int i = 0; i < s->n_leaves; i++) FL_TRY(pq_leaf_check_done(&s->leaves[i], &s->pool, err));
    s->in_rg = false;
    next_row_group(s);
    return 0;
}

static int scan_next(pq_scan *s, fl_arena *arena, fl_column **cols, fl_dict_column **dicts, size_t *rows,
                     fl_error *err)
{
    while (!s->in_rg) {
        if (s->rg >= s->rg_end || s->rg_first_row >= s->end_row) return 0;
        const pq_row_group *g = &s->file->meta->row_groups[s->rg];
        /* the part of the row range inside this row group: [lo, hi) */
        int64_t start = s->rg_first_row, stop = add_rows(start, g->num_rows);
        int64_t lo = s->first_row > start ? s->first_row - start : 0;
        int64_t hi = (s->end_row < stop ? s->end_row : stop) - start;
        if (hi <= lo) {   /* empty, or wholly outside the range: not read (writers
                             leave odd offsets in empty groups) */
            next_row_group(s);
            continue;
        }
        if (s->n_preds && !pq_row_group_may_match(s->file, s->rg, s->preds, s->n_preds)) {
            s->skipped++;
            next_row_group(s);
            continue;
        }
        FL_TRY(enter_row_group(s, lo, hi - lo, err));
    }
    size_t n = s->batch_rows;
    if ((int64_t)n > s->rows_left) n = (size_t)s->rows_left;
    for (int i = 0; i < s->n_columns; i++) {
        int b = s->col_leaf_begin[i];
        const pq_field *f = &s->file->root->children[s->columns[i]];
        if (dicts) {
            dicts[i] = NULL;
            if (s->leaves[b].dict_ok) {
                FL_TRY(pq_assemble_dict(&s->leaves[b], &s->pool, n, arena, &cols[i], &dicts[i], err));
                if (cols[i]) cols[i]->name = f->name;
                continue;
            }
        }
        FL_TRY(pq_assemble_column(f, &s->leaves[b], s->col_leaf_begin[i + 1] - b, &s->pool, n, arena,
                                  &cols[i], err));
    }
    s->rows_left -= (int64_t)n;
    if (s->rows_left == 0) FL_TRY(leave_row_group(s, err));
    *rows = n;
    return 0;
}

static int scan_call(pq_scan *s, fl_arena *arena, fl_column **cols, fl_dict_column **dicts, size_t *rows,
                     fl_error *err)
{
    *rows = 0;
    if (s->failed)
        return fl_error_set(err, s->failed, "scan of \"%s\" already failed", s->file->location);
    pq_pool_recycle(&s->pool);
    int rc = scan_next(s, arena, cols, dicts, rows, err);
    if (rc < 0) {
        s->failed = rc;
        *rows = 0;
    }
    return rc;
}

int pq_scan_next(pq_scan *s, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err)
{
    return scan_call(s, arena, cols, NULL, rows, err);
}

int pq_scan_next_dict(pq_scan *s, fl_arena *arena, fl_column **cols, fl_dict_column **dicts, size_t *rows,
                      fl_error *err)
{
    return scan_call(s, arena, cols, dicts, rows, err);
}

int pq_scan_skipped_row_groups(const pq_scan *scan) { return scan->skipped; }

void pq_scan_free(pq_scan *s)
{
    if (!s) return;
    for (int i = 0; s->leaves && i < s->n_leaves; i++) pq_leaf_dispose(&s->leaves[i]);
    pq_pool_dispose(&s->pool);
    fl_free(s->leaves);
    fl_free(s->columns);
    fl_free(s->col_leaf_begin);
    fl_free(s->preds);
    fl_free(s);
}
