/*
 * cmd_parquet_write.c: `floe parquet write`: delimited text (optionally
 * .zst/.gz compressed) to a Parquet file.
 *
 * The schema comes from a column list or a CREATE TABLE (ddl.c); field ids
 * are the column positions from 1. One thread pool serves both sides: the
 * CSV reader parses blocks of the input in parallel and the Parquet writer
 * encodes the column chunks of each row group in parallel. The output is
 * written through the local FileIO and published only on success.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/arena.h"
#include "../base/threads.h"
#include "../format/csv/csv.h"
#include "../format/parquet/pq_codec.h"
#include "../format/parquet/pq_writer.h"
#include "cli.h"
#include "cmd_parquet.h"
#include "ddl.h"

typedef struct write_args {
    const char *schema, *in, *out, *null_str;
    char delimiter;
    bool header;
    int codec;
    size_t row_group_bytes;
    int threads;       /* 0 = every core */
} write_args;

static int build_root(pq_field *root, const ddl_table *t, fl_arena *arena, fl_error *err)
{
    memset(root, 0, sizeof *root);
    root->name = "schema";
    root->type = fl_type_make(FL_TYPE_STRUCT);
    root->leaf_index = -1;
    root->children = fl_arena_calloc(arena, (size_t)t->n_columns * sizeof *root->children);
    if (!root->children) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    root->n_children = (uint32_t)t->n_columns;
    for (int i = 0; i < t->n_columns; i++) {
        pq_field *f = &root->children[i];
        f->name = t->columns[i].name;
        f->type = t->columns[i].type;
        f->nullable = t->columns[i].nullable;
        f->field_id = i + 1;
        f->has_field_id = true;
        f->leaf_index = -1;
    }
    return 0;
}

static int convert(const write_args *a, fl_error *err)
{
    fl_arena *arena = fl_arena_new(0), *batch = fl_arena_new(1 << 20);
    fl_pool *pool = NULL;
    csv_reader *reader = NULL;
    io_writer *dst = NULL;
    pq_writer *writer = NULL;
    ddl_table *table = NULL;
    pq_field root;
    int rc;
    double t0 = cli_now();

    if (!arena || !batch) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    if ((rc = ddl_load(&table, a->schema, arena, err)) < 0) goto done;
    if ((rc = build_root(&root, table, arena, err)) < 0) goto done;
    if (a->threads != 1 && (rc = fl_pool_new(&pool, a->threads > 1 ? a->threads - 1 : 0)) < 0) {
        fl_error_set(err, rc, "could not start the thread pool");
        goto done;
    }
    fl_type *types = fl_arena_alloc(arena, (size_t)table->n_columns * sizeof *types);
    fl_column **cols = fl_arena_alloc(arena, (size_t)table->n_columns * sizeof *cols);
    if (!types || !cols) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    for (int i = 0; i < table->n_columns; i++) types[i] = table->columns[i].type;

    csv_opts co;
    csv_opts_init(&co);
    co.delimiter = a->delimiter;
    co.header = a->header;
    if (a->null_str) co.null_str = a->null_str;
    co.batch_rows = 16384;
    co.pool = pool;
    if ((rc = csv_reader_open(&reader, a->in, types, table->n_columns, &co, err)) < 0) goto done;

    pq_writer_opts wo;
    pq_writer_opts_init(&wo);
    wo.codec = a->codec;
    wo.row_group_bytes = a->row_group_bytes;
    wo.pool = pool;
    if ((rc = io_create_local(a->out, 0, &dst, err)) < 0) goto done;
    if ((rc = pq_writer_new(&writer, dst, &root, &wo, err)) < 0) goto done;

    for (;;) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = csv_reader_next(reader, batch, cols, &rows, err)) < 0) goto done;
        if (rows == 0) break;
        if ((rc = pq_writer_write(writer, cols, rows, err)) < 0) goto done;
    }
    if ((rc = pq_writer_close(writer, err)) < 0) goto done;
    const pq_file_meta *meta = pq_writer_metadata(writer);
    io_writer *closing = dst;
    dst = NULL;
    if ((rc = io_writer_close(closing, err)) < 0) goto done;
    struct stat in_st, out_st;
    fprintf(stderr,
            "write: %" PRId64 " rows, %d columns, %" PRId32 " row groups, %lld bytes in, %lld bytes"
            " out, %.3f seconds\n",
            csv_reader_rows(reader), table->n_columns, meta ? meta->n_row_groups : 0,
            stat(a->in, &in_st) == 0 ? (long long)in_st.st_size : -1LL,
            stat(a->out, &out_st) == 0 ? (long long)out_st.st_size : -1LL, cli_now() - t0);
done:
    if (rc < 0 && dst) io_writer_abort(dst);
    pq_writer_free(writer);
    csv_reader_free(reader);
    fl_pool_free(pool);
    fl_arena_free(batch);
    fl_arena_free(arena);
    return rc;
}

static bool parse_delimiter(const char *s, char *out)
{
    if (!strcmp(s, "\\t") || !strcmp(s, "tab")) { *out = '\t'; return true; }
    if (strlen(s) != 1 || s[0] == '\n' || s[0] == '\r' || s[0] == '"') return false;
    *out = s[0];
    return true;
}

int cmd_parquet_write(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"schema", required_argument, NULL, 's'},
        {"delimiter", required_argument, NULL, 'd'},
        {"header", no_argument, NULL, 'H'},
        {"null", required_argument, NULL, 'N'},
        {"codec", required_argument, NULL, 'c'},
        {"row-group-bytes", required_argument, NULL, 'r'},
        {"threads", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    write_args a = {NULL, NULL, NULL, NULL, ',', false, PQ_CODEC_ZSTD, 0, 0};
    fl_error err;
    long long n;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 's': a.schema = optarg; break;
        case 'd':
            if (!parse_delimiter(optarg, &a.delimiter))
                return cli_usage_error(parquet_usage, "invalid --delimiter \"%s\" (one character)",
                                       optarg);
            break;
        case 'H': a.header = true; break;
        case 'N': a.null_str = optarg; break;
        case 'c':
            if (pq_codec_parse(optarg, &a.codec, &err) < 0)
                return cli_usage_error(parquet_usage, "%s", err.message);
            break;
        case 'r':
            if (!cli_parse_size(optarg, &a.row_group_bytes) || a.row_group_bytes == 0)
                return cli_usage_error(parquet_usage, "invalid --row-group-bytes \"%s\"", optarg);
            break;
        case 't':
            if (!cli_parse_int(optarg, 1, 1024, &n))
                return cli_usage_error(parquet_usage, "invalid --threads \"%s\"", optarg);
            a.threads = (int)n;
            break;
        case ':': return cli_usage_error(parquet_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(parquet_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (!a.schema) return cli_usage_error(parquet_usage, "parquet write needs --schema");
    if (argc - optind != 2) return cli_usage_error(parquet_usage, "parquet write takes IN and OUT");
    a.in = argv[optind];
    a.out = argv[optind + 1];
    if (convert(&a, &err) < 0) return cli_fail(&err);
    return CLI_OK;
}
