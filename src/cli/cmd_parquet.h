/*
 * cmd_parquet.h: the files of the `floe parquet` group and their shared
 * usage text (cmd_parquet.c dispatches; argv[0] is the subcommand name).
 */
#ifndef CLI_CMD_PARQUET_H
#define CLI_CMD_PARQUET_H

extern const char parquet_usage[];

int cmd_parquet_cat(int argc, char **argv);    /* cmd_parquet_read.c */
int cmd_parquet_scan(int argc, char **argv);   /* cmd_parquet_read.c */
int cmd_parquet_write(int argc, char **argv);  /* cmd_parquet_write.c */

#endif
