/*
 * csv_reader.c: the CSV reader's pipeline: decompress -> split -> parse and
 * convert in parallel -> batches in file order (see README.md).
 *
 * The reader works in rounds. A round's text is the unparsed tail of the
 * previous round (an incomplete record) followed by the next round_bytes of
 * decompressed input. The text is cut into blocks at nominal offsets; each
 * block guesses that it starts after the first '\n' at or after its offset
 * and parses records on the pool, while one more task decompresses the text
 * of the next round (so decompression overlaps parsing). Afterwards, in file
 * order, every block's guessed start is checked against where its
 * predecessor really stopped; a block whose guess was wrong (the offset fell
 * inside a quoted field that contains a newline) is parsed again from the
 * right place, on the calling thread. Line numbers are resolved in the same
 * pass: each block counts the newlines it consumed.
 *
 * Rounds are asynchronous: as soon as a round is verified, the next one is
 * launched on the pool (into the second set of blocks) and the caller's
 * csv_reader_next copies rows out of the finished set meanwhile, so parsing
 * also overlaps whatever the caller does with the batches.
 *
 * Batches are cut from the blocks' column buffers: fixed-width values
 * are copied with memcpy, the string bytes of a run of rows with one memcpy
 * into the caller's arena (pointers rebased), validity rebuilt as a bitmap.
 * Errors found by a block are returned after every row before them.
 */
#include <string.h>

#include "csv.h"
#include "csv_internal.h"
#include "../../base/alloc.h"
#include "../../base/threads.h"

#define DEFAULT_BLOCK_SIZE ((size_t)2 << 20)
#define MAX_ROUND_BYTES ((size_t)64 << 20)
#define HEADROOM ((size_t)256 << 10)
#define MAX_RECORD ((size_t)64 << 20)

/* A text buffer: decompressed input lands at data + headroom; the unparsed
 * tail of the previous round is put in front of it. */
typedef struct text_buf {
    char *data;
    size_t cap;
    char *text;         /* start of the round's text */
    size_t len;
    size_t fill;        /* decompressed bytes at data + headroom */
    bool eof;
    int rc;             /* result of filling it */
    fl_error err;
} text_buf;

typedef struct block_set {
    csv_block *blocks;
    size_t cap;
} block_set;

typedef struct parse_task {
    const csv_parse_cfg *cfg;
    csv_block *block;
} parse_task;

struct csv_reader {
    char *name;
    csv_source *src;
    csv_parse_cfg cfg;
    fl_type *types;
    char **names;
    char *null_str;
    fl_pool *pool;
    fl_taskgroup *group;
    size_t batch_rows, block_size, round_bytes;
    size_t fill_want;           /* bytes the next fill reads: grows while a record does not fit */
    size_t headroom;            /* room for the leftover before the fresh text */
    text_buf bufs[2];
    text_buf *cur, *nxt;
    bool started, done, header_pending;
    int64_t line_base;          /* line number of the first line of cur */
    block_set sets[2];          /* one being parsed, one being copied out */
    int run_set;                /* the set the in-flight round parses into */
    bool in_flight;             /* a round's tasks are queued or running */
    parse_task *tasks;
    size_t tasks_cap;
    int q_set;                  /* batches come from sets[q_set].blocks[q_block..q_n) */
    size_t q_block, q_row, q_n;
    size_t n_blocks;            /* blocks of the in-flight round */
    int pending_rc;             /* error after the queued rows */
    fl_error pending;
    int sticky_rc;              /* error already returned: returned again */
    int64_t rows_out, bad_rows;
    int64_t reparsed;           /* blocks whose guessed start was wrong */
};

void csv_opts_init(csv_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->delimiter = ',';
    opts->quote = '"';
    opts->escape = '"';
    opts->null_str = "";
    opts->allow_trailing_delimiter = true;
}

/* ---- opening ---- */

static int check_opts(const csv_opts *o, const char *name, fl_error *err)
{
    if (o->delimiter == '\n' || o->delimiter == '\r' || o->delimiter == 0)
        return fl_error_set(err, FLOE_EINVAL, "could not open \"%s\": invalid csv delimiter", name);
    if (o->quote && (o->quote == o->delimiter || o->quote == '\n' || o->quote == '\r'))
        return fl_error_set(err, FLOE_EINVAL, "could not open \"%s\": invalid csv quote", name);
    if (o->quote && (o->escape == 0 || o->escape == o->delimiter || o->escape == '\n' ||
                     o->escape == '\r'))
        return fl_error_set(err, FLOE_EINVAL, "could not open \"%s\": invalid csv escape", name);
    if (o->null_str && (strchr(o->null_str, o->delimiter) || strchr(o->null_str, '\n')))
        return fl_error_set(err, FLOE_EINVAL,
                            "could not open \"%s\": csv null string contains the delimiter or a "
                            "newline", name);
    return 0;
}

static int text_buf_init(text_buf *t, size_t headroom, size_t round_bytes)
{
    t->cap = headroom + round_bytes + CSV_TEXT_PAD;
    t->data = fl_malloc(t->cap);
    return t->data ? 0 : FLOE_ENOMEM;
}

static int copy_config(csv_reader *r, const fl_type *types, int n, const csv_opts *o)
{
    r->types = fl_malloc(sizeof *r->types * (size_t)(n ? n : 1));
    r->cfg.kinds = fl_malloc((size_t)(n ? n : 1));
    r->cfg.widths = fl_malloc(sizeof *r->cfg.widths * (size_t)(n ? n : 1));
    r->null_str = fl_strdup(o->null_str ? o->null_str : "");
    if (!r->types || !r->cfg.kinds || !r->cfg.widths || !r->null_str) return FLOE_ENOMEM;
    memcpy(r->types, types, sizeof *types * (size_t)n);
    if (o->column_names) {
        r->names = fl_calloc((size_t)(n ? n : 1), sizeof *r->names);
        if (!r->names) return FLOE_ENOMEM;
        for (int c = 0; c < n; c++)
            if (o->column_names[c] && !(r->names[c] = fl_strdup(o->column_names[c])))
                return FLOE_ENOMEM;
    }
    r->cfg.delimiter = o->delimiter;
    r->cfg.quote = o->quote;
    r->cfg.escape = o->quote ? o->escape : 0;
    r->cfg.skip_bad_rows = o->skip_bad_rows;
    r->cfg.allow_trailing_delimiter = o->allow_trailing_delimiter;
    r->cfg.null_str = r->null_str;
    r->cfg.null_len = strlen(r->null_str);
    r->cfg.null_is_empty = r->cfg.null_len == 0;
    r->cfg.n_columns = n;
    r->cfg.types = r->types;
    return 0;
}

int csv_reader_open_io(csv_reader **out, io_reader *src, const char *name, const fl_type *types,
                       int n_columns, const csv_opts *opts, fl_error *err)
{
    *out = NULL;
    csv_opts defaults;
    if (!opts) {
        csv_opts_init(&defaults);
        opts = &defaults;
    }
    int rc;
    if (n_columns < 1) {
        io_reader_close(src);
        return fl_error_set(err, FLOE_EINVAL, "could not open \"%s\": no csv columns", name);
    }
    if ((rc = check_opts(opts, name, err)) < 0) {
        io_reader_close(src);
        return rc;
    }
    csv_reader *r = fl_calloc(1, sizeof *r);
    if (!r || !(r->name = fl_strdup(name))) {
        fl_free(r);
        io_reader_close(src);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
    }
    if ((rc = csv_source_open(&r->src, src, name, err)) < 0) goto fail;
    if ((rc = copy_config(r, types, n_columns, opts)) < 0) goto oom;
    if ((rc = csv_parse_cfg_init(&r->cfg, err)) < 0) {
        fl_error_prefix(err, "could not open \"%s\": ", name);
        goto fail;
    }
    r->pool = opts->pool;
    r->batch_rows = opts->batch_rows ? opts->batch_rows : 2048;
    r->block_size = opts->block_size ? opts->block_size : DEFAULT_BLOCK_SIZE;
    size_t per_round = 4 * (size_t)(fl_pool_threads(r->pool) + 1);
    r->round_bytes = r->block_size * per_round;
    if (r->round_bytes > MAX_ROUND_BYTES || r->round_bytes / per_round != r->block_size)
        r->round_bytes = MAX_ROUND_BYTES > r->block_size ? MAX_ROUND_BYTES : r->block_size;
    /* a small plain file gets buffers of its size */
    uint64_t size = csv_source_size_hint(r->src);
    if (size < r->round_bytes) r->round_bytes = size ? (size_t)size : 1;
    r->headroom = r->round_bytes < HEADROOM ? r->round_bytes : HEADROOM;
    if (text_buf_init(&r->bufs[0], r->headroom, r->round_bytes) < 0 ||
        text_buf_init(&r->bufs[1], r->headroom, r->round_bytes) < 0 ||
        fl_taskgroup_new(&r->group, r->pool) < 0)
        goto oom;
    r->cur = &r->bufs[0];
    r->nxt = &r->bufs[1];
    r->fill_want = r->round_bytes;
    r->header_pending = opts->header;
    r->line_base = 1;
    *out = r;
    return 0;
oom:
    rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
fail:
    csv_reader_free(r);
    return rc;
}

int csv_reader_open(csv_reader **out, const char *path, const fl_type *types, int n_columns,
                    const csv_opts *opts, fl_error *err)
{
    *out = NULL;
    io_reader *src;
    FL_TRY(io_open_local(path, &src, err));
    return csv_reader_open_io(out, src, path, types, n_columns, opts, err);
}

int csv_reader_open_mem(csv_reader **out, const char *name, const void *data, size_t len,
                        const fl_type *types, int n_columns, const csv_opts *opts, fl_error *err)
{
    *out = NULL;
    io_reader *src;
    FL_TRY(io_reader_from_memory(data, len, &src, err));
    return csv_reader_open_io(out, src, name, types, n_columns, opts, err);
}

void csv_reader_free(csv_reader *r)
{
    if (!r) return;
    if (r->group) {
        if (r->in_flight) fl_taskgroup_wait(r->group);
        fl_taskgroup_free(r->group);
    }
    csv_source_free(r->src);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < r->sets[k].cap; i++)
            csv_block_dispose(&r->sets[k].blocks[i], r->cfg.n_columns);
        fl_free(r->sets[k].blocks);
    }
    fl_free(r->tasks);
    fl_free(r->bufs[0].data);
    fl_free(r->bufs[1].data);
    if (r->names)
        for (int c = 0; c < r->cfg.n_columns; c++) fl_free(r->names[c]);
    fl_free(r->names);
    fl_free(r->types);
    fl_free(r->cfg.kinds);
    fl_free(r->cfg.widths);
    fl_free(r->null_str);
    fl_free(r->name);
    fl_free(r);
}

int64_t csv_reader_bad_rows(const csv_reader *r) { return r->bad_rows; }
int64_t csv_reader_rows(const csv_reader *r) { return r->rows_out; }
int64_t csv_reader_reparsed_blocks(const csv_reader *r) { return r->reparsed; }

/* ---- rounds ---- */

/* Fills t with the next round_bytes of input (a pool task). */
static void fill_task(void *arg)
{
    csv_reader *r = arg;
    text_buf *t = r->nxt;
    t->fill = 0;
    t->eof = false;
    t->rc = csv_source_read(r->src, t->data + r->headroom, &t->fill, r->fill_want, &t->eof, &t->err);
}

static void parse_task_run(void *arg)
{
    parse_task *pt = arg;
    csv_parse_block(pt->cfg, pt->block);
}

/* Puts the leftover bytes in front of t's fresh text; seals the text with
 * the '\n' sentinel and zeroed padding. */
static int prepare_text(text_buf *t, size_t headroom, const char *left, size_t left_len)
{
    if (left_len <= headroom) {
        t->text = t->data + headroom - left_len;
        if (left_len) memcpy(t->text, left, left_len);
    } else {
        size_t need = headroom + left_len + t->fill + CSV_TEXT_PAD;
        size_t cap = need > t->cap ? need : t->cap;
        char *d = fl_malloc(cap);
        if (!d) return FLOE_ENOMEM;
        memcpy(d + headroom, left, left_len);
        if (t->fill) memcpy(d + headroom + left_len, t->data + headroom, t->fill);
        fl_free(t->data);
        t->data = d;
        t->cap = cap;
        t->text = d + headroom;
        t->fill += left_len;
        left_len = 0;
    }
    t->len = left_len + t->fill;
    t->text[t->len] = '\n';
    memset(t->text + t->len + 1, 0, CSV_TEXT_PAD - 1);
    return 0;
}

static int ensure_blocks(block_set *set, size_t n)
{
    if (n <= set->cap) return 0;
    csv_block *b = fl_realloc(set->blocks, n * sizeof *b);
    if (!b) return FLOE_ENOMEM;
    memset(b + set->cap, 0, (n - set->cap) * sizeof *b);
    set->blocks = b;
    set->cap = n;
    return 0;
}

/* Formats a block's error as the reader's pending error. */
static void block_error(csv_reader *r, const csv_block *b, int64_t first_line)
{
    if (b->oom) {
        r->pending_rc = fl_error_set(&r->pending, FLOE_ENOMEM, "out of memory parsing \"%s\"",
                                     r->name);
        return;
    }
    int64_t line = first_line + b->error.rel_line;
    int col = b->error.column;
    if (col < 0)
        r->pending_rc = fl_error_set(&r->pending, b->error.code, "could not parse \"%s\": line %lld: %s",
                                     r->name, (long long)line, b->error.msg);
    else if (r->names && r->names[col])
        r->pending_rc = fl_error_set(&r->pending, b->error.code,
                                     "could not parse \"%s\": line %lld, column %d (%s): %s", r->name,
                                     (long long)line, col + 1, r->names[col], b->error.msg);
    else
        r->pending_rc = fl_error_set(&r->pending, b->error.code,
                                     "could not parse \"%s\": line %lld, column %d: %s", r->name,
                                     (long long)line, col + 1, b->error.msg);
}

/*
 * Splits cur into blocks and queues their parsing (plus the fill of the next
 * round's text) on the pool; returns without waiting, so the caller copies
 * out the previous round's rows meanwhile. Without a pool the tasks run
 * here, one after another.
 */
static int launch_round(csv_reader *r)
{
    text_buf *t = r->cur;
    if (t->len == 0 && t->eof) {
        r->done = true;
        return 0;
    }
    block_set *set = &r->sets[r->run_set];
    size_t nb = (t->len + r->block_size - 1) / r->block_size;
    if (nb == 0) nb = 1;
    /* a round grown for a long record keeps its block count (and memory) */
    size_t max_blocks = 8 * (size_t)(fl_pool_threads(r->pool) + 1);
    if (nb > max_blocks) nb = max_blocks;
    if (ensure_blocks(set, nb) < 0) return FLOE_ENOMEM;
    text_buf *n = r->nxt;
    if (!t->eof && n->cap < r->headroom + r->fill_want + CSV_TEXT_PAD) {
        char *d = fl_realloc(n->data, r->headroom + r->fill_want + CSV_TEXT_PAD);
        if (!d) return FLOE_ENOMEM;
        n->data = d;
        n->cap = r->headroom + r->fill_want + CSV_TEXT_PAD;
    }
    if (nb > r->tasks_cap) {
        parse_task *tasks = fl_realloc(r->tasks, nb * sizeof *tasks);
        if (!tasks) return FLOE_ENOMEM;
        r->tasks = tasks;
        r->tasks_cap = nb;
    }
    if (!t->eof && fl_taskgroup_submit(r->group, fill_task, r) < 0) return FLOE_ENOMEM;
    r->in_flight = true;
    for (size_t i = 0; i < nb; i++) {
        csv_block *b = &set->blocks[i];
        size_t nominal = t->len * i / nb, next_nominal = t->len * (i + 1) / nb;
        b->text = t->text;
        b->len = t->len;
        b->eof = t->eof;
        b->stop = next_nominal;
        b->skip_first = i == 0 && r->header_pending;
        if (i == 0) {
            b->start = 0;
        } else {
            const char *nl = memchr(t->text + nominal - 1, '\n', t->len - nominal + 1);
            b->start = nl ? (size_t)(nl + 1 - t->text) : t->len;
        }
        r->tasks[i] = (parse_task){&r->cfg, b};
        if (fl_taskgroup_submit(r->group, parse_task_run, &r->tasks[i]) < 0) return FLOE_ENOMEM;
    }
    r->n_blocks = nb;
    return 0;
}

/* Checks the guessed block starts in file order (re-parsing wrong ones),
 * resolves line numbers, queues the rows and finds the error or the
 * leftover. Returns the offset where unparsed text begins. */
static size_t verify_round(csv_reader *r, const text_buf *t)
{
    block_set *set = &r->sets[r->run_set];
    int64_t line = r->line_base;
    size_t n_valid = r->n_blocks, leftover = t->len;
    for (size_t i = 0; i < r->n_blocks; i++) {
        csv_block *b = &set->blocks[i];
        if (i > 0 && b->start != set->blocks[i - 1].end) {
            b->start = set->blocks[i - 1].end;
            b->skip_first = false;
            csv_parse_block(&r->cfg, b);
            r->reparsed++;
        }
        if (i == 0 && r->header_pending && !(b->incomplete && b->end == b->start))
            r->header_pending = false;
        bool stop = false;
        if (b->oom || b->error.code) {
            block_error(r, b, line);
            stop = true;
        } else if (b->incomplete) {
            leftover = b->end;
            stop = true;
        }
        line += b->lines;
        r->bad_rows += b->bad_rows;
        if (stop) {
            n_valid = i + 1;
            break;
        }
    }
    r->line_base = line;
    r->q_set = r->run_set;
    r->q_block = 0;
    r->q_row = 0;
    r->q_n = n_valid;
    r->run_set ^= 1;
    return leftover;
}

/* Waits for the in-flight round, queues its rows and launches the next. */
static int collect_round(csv_reader *r, fl_error *err)
{
    fl_taskgroup_wait(r->group);
    r->in_flight = false;
    text_buf *t = r->cur;
    size_t leftover = verify_round(r, t);
    if (r->pending_rc) return 0;
    if (t->eof) {
        r->done = true;
        return 0;
    }
    text_buf *n = r->nxt;
    if (n->rc < 0) {
        r->pending_rc = n->rc;
        r->pending = n->err;
        return 0;
    }
    size_t left_len = t->len - leftover;
    /* no record completed: read more per round so a long record costs
     * O(n log n), not O(n^2) */
    r->fill_want = leftover == 0 && r->fill_want < MAX_RECORD ? r->fill_want * 2 : r->round_bytes;
    if (left_len > MAX_RECORD) {
        r->pending_rc = fl_error_set(&r->pending, FLOE_ELIMIT,
                                     "could not parse \"%s\": line %lld: record is longer than %zu "
                                     "bytes (unterminated quoted field?)",
                                     r->name, (long long)r->line_base, MAX_RECORD);
        return 0;
    }
    if (prepare_text(n, r->headroom, t->text + leftover, left_len) < 0) goto oom;
    r->cur = n;
    r->nxt = t;
    if (launch_round(r) < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory reading \"%s\"", r->name);
}

/* Reads the first round's text and launches its parse. */
static int start_reading(csv_reader *r, fl_error *err)
{
    r->started = true;
    fill_task(r);
    if (r->nxt->rc < 0) {
        if (err) *err = r->nxt->err;
        return r->nxt->rc;
    }
    text_buf *tmp = r->cur;
    r->cur = r->nxt;
    r->nxt = tmp;
    if (prepare_text(r->cur, r->headroom, NULL, 0) < 0 || launch_round(r) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory reading \"%s\"", r->name);
    return 0;
}

/* Makes rows available: on return the queue holds a round's blocks, or an
 * error is pending, or the input is done. */
static int run_round(csv_reader *r, fl_error *err)
{
    if (!r->started) FL_TRY(start_reading(r, err));
    if (r->in_flight) return collect_round(r, err);
    if (!r->done && !r->pending_rc)
        return fl_error_set(err, FLOE_EINTERNAL, "csv reader of \"%s\" has no round to wait for",
                            r->name);
    return 0;
}

/* ---- batches ---- */

static const char empty_str[1] = "";

static int copy_rows(csv_reader *r, const csv_block *b, size_t from, size_t take,
                     fl_column **cols, size_t at)
{
    for (int c = 0; c < r->cfg.n_columns; c++) {
        const csv_colbuf *cb = &b->cols[c];
        fl_column *col = cols[c];
        size_t width = r->cfg.widths[c];
        memcpy((char *)col->data + at * width, cb->data + from * width, take * width);
        if (fl_type_is_varlen(col->type)) {
            fl_strv *dst = (fl_strv *)col->data + at;
            size_t first = (size_t)(uintptr_t)dst[0].ptr;
            size_t last = (size_t)(uintptr_t)dst[take - 1].ptr + dst[take - 1].len;
            char *base = NULL;
            if (last > first) {
                base = fl_arena_alloc(col->arena, last - first);
                if (!base) return FLOE_ENOMEM;
                memcpy(base, cb->heap + first, last - first);
            }
            for (size_t i = 0; i < take; i++) {
                size_t off = (size_t)(uintptr_t)dst[i].ptr;
                dst[i].ptr = dst[i].len ? base + (off - first) : empty_str;
            }
        }
        if (memchr(cb->valid + from, 0, take)) {
            if (fl_column_ensure_validity(col) < 0) return FLOE_ENOMEM;
            for (size_t i = 0; i < take; i++)
                if (!cb->valid[from + i]) fl_bit_clear(col->validity, at + i);
        }
    }
    return 0;
}

static int new_batch(csv_reader *r, fl_arena *arena, fl_column **cols)
{
    for (int c = 0; c < r->cfg.n_columns; c++) {
        cols[c] = fl_column_new(arena, r->types[c], r->batch_rows);
        if (!cols[c]) return FLOE_ENOMEM;
        if (r->names) cols[c]->name = r->names[c];
    }
    return 0;
}

int csv_reader_next(csv_reader *r, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err)
{
    *rows = 0;
    if (r->sticky_rc) {
        if (err) *err = r->pending;
        return r->sticky_rc;
    }
    size_t filled = 0;
    bool have_cols = false;
    int rc = 0;
    while (filled < r->batch_rows) {
        if (r->q_block < r->q_n) {
            csv_block *b = &r->sets[r->q_set].blocks[r->q_block];
            size_t avail = b->rows - r->q_row;
            if (avail == 0) {
                r->q_block++;
                r->q_row = 0;
                continue;
            }
            if (!have_cols) {
                if (new_batch(r, arena, cols) < 0) goto oom;
                have_cols = true;
            }
            size_t take = avail < r->batch_rows - filled ? avail : r->batch_rows - filled;
            if (copy_rows(r, b, r->q_row, take, cols, filled) < 0) goto oom;
            r->q_row += take;
            filled += take;
            continue;
        }
        if (r->pending_rc || r->done) break;
        if ((rc = run_round(r, &r->pending)) < 0) {
            r->sticky_rc = rc;
            if (filled) break;   /* the rows first; the error next time */
            if (err) *err = r->pending;
            return rc;
        }
    }
    if (filled == 0 && r->pending_rc) {
        r->sticky_rc = r->pending_rc;
        if (err) *err = r->pending;
        return r->pending_rc;
    }
    if (filled) {
        for (int c = 0; c < r->cfg.n_columns; c++) cols[c]->len = filled;
    }
    r->rows_out += (int64_t)filled;
    *rows = filled;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory reading \"%s\"", r->name);
}
