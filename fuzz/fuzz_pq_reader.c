/*
 * fuzz_pq_reader.c: libFuzzer target for the whole Parquet read path
 * (src/format/parquet/pq_reader.h): the input is opened as a Parquet file
 * from memory and every column of every row group is scanned (for a third of
 * the inputs only a row range of the file), also checking the statistics and
 * predicate helpers on every top-level column. Every input is scanned a
 * second time with keep_dictionaries through pq_scan_next_dict, and every
 * index of a dictionary batch is checked against its values and the value
 * it points at is read (a string's every byte), so an index outside the
 * dictionary or a dangling values column is an ASan report; ids must stay
 * non-zero and the values of one id the same column.
 *
 * Allocations are bounded: files whose footer claims absurd sizes (rows,
 * values, chunk bytes) are refused before scanning, and pages larger than
 * 16 MiB are refused by the scan itself (max_page_bytes). Whatever is not
 * refused must either decode or fail with a message; a crash, sanitizer
 * report or hang is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/error.h"
#include "../src/format/parquet/pq_reader.h"
#include "../src/io/io.h"

#define MAX_ROWS 100000
#define MAX_VALUES 400000

static volatile unsigned sink;   /* keeps the reads of dictionary strings */

static void check(int ok)
{
    if (!ok) abort();
}

/* true when the footer's claims keep the scan's memory small */
static int sane(const pq_file *f, size_t input_len)
{
    const pq_file_meta *m = pq_file_metadata(f);
    for (int g = 0; g < m->n_row_groups; g++) {
        const pq_row_group *rg = &m->row_groups[g];
        if (rg->num_rows > MAX_ROWS) return 0;
        for (int c = 0; c < rg->n_columns; c++) {
            const pq_column_meta *cm = &rg->columns[c].meta;
            if (cm->num_values > MAX_VALUES) return 0;
            if (cm->total_compressed_size > (int64_t)input_len) return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err = {0};
    io_reader *r = NULL;
    if (io_reader_from_memory(data, size, &r, &err) < 0) return 0;
    pq_file *f = NULL;
    int rc = pq_file_open(&f, r, &err);
    if (rc < 0) {
        check(err.message[0] != 0);
        io_reader_close(r);
        return 0;
    }
    if (sane(f, size)) {
        fl_arena *a = fl_arena_new(0);
        const pq_field *root = pq_file_schema(f);
        /* statistics and predicates on every top-level column */
        for (int g = 0; g < pq_file_num_row_groups(f); g++)
            for (uint32_t c = 0; c < root->n_children; c++) {
                pq_chunk_stats st;
                if (pq_chunk_stats_get(f, g, (int)c, &st, a, &err) < 0) continue;
                pq_predicate p[2] = {{.column = (int)c, .op = PQ_PRED_GT, .value = st.max},
                                     {.column = (int)c, .op = PQ_PRED_IS_NULL}};
                (void)pq_row_group_may_match(f, g, p, 2);
            }
        pq_scan_opts o = {0};
        o.verify_crc = size & 1;
        o.batch_rows = 1 + size % 1000;
        o.max_page_bytes = 16 << 20;
        if (size % 3 == 1) {   /* a row range (pages before it skipped by their headers) */
            o.first_row = (int64_t)(size / 3 % 64);
            o.end_row = size % 2 ? 0 : o.first_row + (int64_t)(size / 7 % 200);
        }
        pq_scan *s = NULL;
        rc = pq_scan_new(&s, f, &o, &err);
        fl_column **cols = calloc(root->n_children + 1, sizeof *cols);
        while (rc == 0) {
            size_t rows;
            fl_arena_reset(a);
            rc = pq_scan_next(s, a, cols, &rows, &err);
            if (rc < 0) check(err.message[0] != 0);
            if (rc < 0 || rows == 0) break;
            for (uint32_t c = 0; c < root->n_children; c++) check(cols[c]->len == rows);
        }
        pq_scan_free(s);
        /* the same with dictionary batches */
        o.keep_dictionaries = true;
        s = NULL;
        rc = pq_scan_new(&s, f, &o, &err);
        fl_dict_column **dicts = calloc(root->n_children + 1, sizeof *dicts);
        uint64_t *ids = calloc(root->n_children + 1, sizeof *ids);
        const fl_column **vals = calloc(root->n_children + 1, sizeof *vals);
        while (rc == 0) {
            size_t rows;
            fl_arena_reset(a);
            rc = pq_scan_next_dict(s, a, cols, dicts, &rows, &err);
            if (rc < 0) check(err.message[0] != 0);
            if (rc < 0 || rows == 0) break;
            for (uint32_t c = 0; c < root->n_children; c++) {
                const fl_dict_column *d = dicts[c];
                if (!d) {
                    check(cols[c] && cols[c]->len == rows);
                    continue;
                }
                check(!cols[c] && d->len == rows && d->id != 0 && d->values);
                check(d->id != ids[c] || d->values == vals[c]);
                ids[c] = d->id;
                vals[c] = d->values;
                const fl_strv *sv = d->values->data;
                unsigned sum = 0;
                for (size_t i = 0; i < rows; i++) {
                    check(d->idx[i] < d->values->len);
                    const fl_strv v = sv[d->idx[i]];
                    for (uint32_t k = 0; k < v.len; k++) sum += (unsigned char)v.ptr[k];
                }
                sink += sum;
            }
        }
        free(dicts);
        free(ids);
        free(vals);
        free(cols);
        pq_scan_free(s);
        fl_arena_free(a);
    }
    pq_file_free(f);
    io_reader_close(r);
    return 0;
}
