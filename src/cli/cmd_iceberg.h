/*
 * cmd_iceberg.h: what the files of the `iceberg` and `namespace` command
 * groups share: the usage texts, opening a table (by catalog name in the
 * warehouse's SQLite catalog, or by the path of a metadata JSON file) with
 * its location remapping, the warehouse catalog, and small output helpers.
 */
#ifndef CMD_ICEBERG_H
#define CMD_ICEBERG_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/error.h"
#include "../catalog/catalog.h"
#include "../iceberg/ice_metadata.h"
#include "../iceberg/ice_table.h"
#include "../io/io.h"

extern const char iceberg_usage[];
extern const char namespace_usage[];

#define ICE_CLI_DEFAULT_WAREHOUSE "./warehouse"
#define ICE_CLI_MAX_REMAPS 32

/* The options every iceberg command takes: where the table is. */
typedef struct ice_cli_where {
    const char *warehouse;               /* --warehouse (default ./warehouse) */
    const char *remaps[ICE_CLI_MAX_REMAPS];  /* --remap PREFIX=DIR */
    size_t remap_count;
} ice_cli_where;

/* An open table: its metadata and the filesystem to read its files with. */
typedef struct ice_cli_table {
    io_fs *local;
    io_fs *fs;                           /* remapping wrapper over local */
    ice_metadata *md;
    char metadata_location[4096];
} ice_cli_table;

/* Opens TABLE: a metadata JSON path (anything with '/', ending in ".json"
 * or ".gz", or an existing file), a table directory (its
 * metadata/version-hint.text), or "ns.table" in the warehouse catalog. */
int ice_cli_table_open(ice_cli_table *t, const char *table, const ice_cli_where *where,
                       fl_error *err);
void ice_cli_table_close(ice_cli_table *t);

/* Adds a --remap PREFIX=DIR argument to where: CLI_OK, or the usage error
 * (status CLI_USAGE) for a malformed or one too many. */
int ice_cli_add_remap(ice_cli_where *where, const char *arg);

/* Opens <warehouse>/catalog.db; create: make the directory and the catalog
 * when absent (else FLOE_ENOTFOUND when there is no catalog). */
int ice_cli_catalog_open(cat_catalog **out, const char *warehouse, bool create, bool read_only,
                         fl_error *err);

/* Splits "ns.table" at its last dot into ns (cap bytes) and *name
 * (borrowed from full); FLOE_EINVAL when it has no namespace or name. */
int ice_cli_split_name(const char *full, char *ns, size_t cap, const char **name, fl_error *err);

/* The catalog and the loaded table of a command that changes a table. */
typedef struct ice_cli_env {
    cat_catalog *catalog;
    io_fs *fs;
    ice_table *table;
} ice_cli_env;

/* Opens the warehouse catalog and loads "ns.table" (FLOE_ENOTFOUND naming
 * it when absent). Close with ice_cli_env_close even on failure. */
int ice_cli_env_open(ice_cli_env *e, const char *warehouse, const char *full, fl_error *err);
void ice_cli_env_close(ice_cli_env *e);

/* The global --catalog URI (NULL: sqlite://<warehouse>/catalog.db), any URI
 * cat_open accepts (sqlite:..., postgresql://..., a libpq conninfo). */
extern const char *ice_cli_catalog_uri;

/* Removes every "--catalog URI" / "--catalog=URI" from argv[1..] (setting
 * ice_cli_catalog_uri) and returns the new argc; -1 when --catalog has no value. */
int ice_cli_take_catalog_opt(int argc, char **argv);

/* A time argument: epoch milliseconds, or a timestamp or date text (UTC
 * unless it names a zone), as the last millisecond not after that instant.
 * what names the argument in the message ("--as-of", "time"). */
int ice_cli_parse_time_ms(int64_t *ms, const char *s, const char *what, fl_error *err);

/* "2024-01-31 13:45:00.123" (UTC) for epoch milliseconds. */
void ice_cli_format_ms(int64_t ms, char *buf);
/* Writes buf to stdout and resets it. */
int ice_cli_flush(fl_buf *out, fl_error *err);

/* Resolves --snapshot ID into *id; FLOE_ENOTFOUND when absent from md. */
int ice_cli_snapshot_arg(const ice_snapshot **out, const ice_metadata *md, const char *arg,
                         fl_error *err);

/* The subcommands (argv[0] is the subcommand name). */
int cmd_iceberg_files(int argc, char **argv);
int cmd_iceberg_manifests(int argc, char **argv);
int cmd_iceberg_scan(int argc, char **argv);
/* The commands that change tables (cmd_iceberg_write.c). */
int cmd_iceberg_create(int argc, char **argv);
int cmd_iceberg_append(int argc, char **argv);
int cmd_iceberg_rollback(int argc, char **argv);
int cmd_iceberg_expire(int argc, char **argv);
int cmd_iceberg_overwrite(int argc, char **argv);
int cmd_iceberg_delete(int argc, char **argv);

#endif
