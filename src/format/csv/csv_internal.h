/*
 * csv_internal.h: what the CSV reader's files share: the block parser's
 * input and output (csv_parse.c), the value converters (csv_convert.c) and
 * the streaming decompression stage (csv_source.c). Not for other layers:
 * they use csv.h.
 *
 * A "block" is a byte range of decompressed text that one task parses into
 * column buffers owned by the block (csv_block). The reader (csv_reader.c)
 * splits each round of text into blocks, runs them on the pool, checks that
 * every block started at a true record boundary (re-parsing the rare block
 * that did not) and then copies rows out of the blocks into the caller's
 * batches.
 */
#ifndef CSV_INTERNAL_H
#define CSV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/error.h"
#include "../../base/type.h"
#include "../../io/io.h"

/* Bytes of readable padding after the text of a round: the field scanner
 * reads whole 8-byte words and may look past the end. */
#define CSV_TEXT_PAD 64

/* ---- value conversion (csv_convert.c) ---- */

typedef enum csv_conv_status {
    CSV_CONV_OK = 0,
    CSV_CONV_INVALID,     /* malformed text for the type */
    CSV_CONV_RANGE,       /* well-formed, but does not fit the type */
    CSV_CONV_UTF8,        /* string column: not valid UTF-8 */
    CSV_CONV_LENGTH,      /* fixed(L): wrong length */
    CSV_CONV_NOMEM,       /* out of memory */
} csv_conv_status;

/* Converts s[len] to the fixed-width value of type t at dst (fl_type_width
 * bytes). Not for varlen types. */
csv_conv_status csv_convert_fixed_width(fl_type t, const char *s, size_t len, void *dst);
/* Length of the valid UTF-8 prefix of s[len] (== len when all valid). */
size_t csv_utf8_valid_prefix(const char *s, size_t len);
/* Canonical 8-4-4-4-12 hex text to 16 bytes. */
bool csv_parse_uuid(const char *s, size_t len, uint8_t out[16]);
/* Integer parsers, exposed for tests: false on malformed text; *range set
 * when the text is a well-formed integer that does not fit. */
bool csv_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out, bool *range);
bool csv_parse_u64(const char *s, size_t len, uint64_t hi, uint64_t *out, bool *range);
bool csv_parse_double(const char *s, size_t len, double *out, bool *range);
bool csv_parse_float(const char *s, size_t len, float *out, bool *range);

/* ---- block parsing (csv_parse.c) ---- */

/* Column buffers of one block. Strings (and uuid/fixed bytes) go to heap;
 * their fl_strv slot holds the heap offset in ptr until the rows are
 * copied out (see csv_reader.c). valid[row] is 1 or 0. */
typedef struct csv_colbuf {
    uint8_t *data;
    uint8_t *valid;
    char *heap;
    size_t heap_len, heap_cap;
    size_t null_count;
} csv_colbuf;

/* What the parser knows about the reader: options and column types. */
typedef struct csv_parse_cfg {
    char delimiter, quote, escape;
    bool skip_bad_rows;
    bool allow_trailing_delimiter;
    const char *null_str;
    size_t null_len;
    bool null_is_empty;     /* null_str is "" */
    bool fast_numbers;      /* set by csv_parse_cfg_init */
    int n_columns;
    const fl_type *types;
    uint8_t *kinds;         /* per column: csv_parse.c's conversion kind */
    size_t *widths;         /* per column: fl_type_width */
} csv_parse_cfg;

/* The first error of a block, positioned relative to the block start. */
typedef struct csv_block_error {
    int code;               /* 0 = none */
    int64_t rel_line;       /* lines before the bad record, within the block */
    int column;             /* 0-based, -1 when the error is about the record */
    char msg[FL_ERROR_MSG_MAX];
} csv_block_error;

typedef struct csv_block {
    /* input, set by the reader */
    const char *text;       /* the round's text; text[len] is readable (padding) */
    size_t len;
    size_t start, stop;     /* parse records starting in [start, stop) */
    bool eof;               /* text ends the input (a last line may lack '\n') */
    bool skip_first;        /* the first record is a header */
    /* output */
    size_t rows;            /* good rows in the buffers */
    size_t end;             /* offset after the last record parsed */
    bool incomplete;        /* stopped at a record that runs past len (not eof) */
    int64_t lines;          /* newlines consumed in [start, end) */
    int64_t bad_rows;
    csv_block_error error;  /* a fatal error ends the block (not with skip_bad_rows) */
    /* buffers, kept across rounds */
    csv_colbuf *cols;
    size_t cap;             /* rows the buffers hold */
    char *scratch;          /* unescaped quoted fields */
    size_t scratch_cap;
    int oom;                /* allocation failed: FLOE_ENOMEM */
} csv_block;

/* Parses b->text[b->start, ..) until a record starts at or after b->stop,
 * the text ends, or (without skip_bad_rows) the first error. Safe to run
 * for different blocks in parallel. */
void csv_parse_block(const csv_parse_cfg *cfg, csv_block *b);
/* Prepares cfg->kinds/widths from the types; FLOE_EUNSUPPORTED for nested. */
int csv_parse_cfg_init(csv_parse_cfg *cfg, fl_error *err);
void csv_block_dispose(csv_block *b, int n_columns);

/* ---- the decompression stage (csv_source.c) ---- */

typedef struct csv_source csv_source;

/* Consumes src (closed by csv_source_free, also on failure). Detects zstd
 * and gzip by magic bytes; a .zst or .gz name whose bytes are not that
 * format is an error. */
int csv_source_open(csv_source **out, io_reader *src, const char *name, fl_error *err);
/* Appends up to `want` decompressed bytes to dst[*len..]; sets *eof when
 * the input is exhausted. dst must have room for *len + want bytes. */
int csv_source_read(csv_source *s, char *dst, size_t *len, size_t want, bool *eof,
                    fl_error *err);
void csv_source_free(csv_source *s);
/* Bytes of text the source will produce: exact for plain files, else
 * UINT64_MAX (unknown). */
uint64_t csv_source_size_hint(const csv_source *s);

/* ---- reader statistics for tests ---- */

struct csv_reader;
/* Blocks parsed a second time because their guessed start was wrong. */
int64_t csv_reader_reparsed_blocks(const struct csv_reader *r);

#endif
