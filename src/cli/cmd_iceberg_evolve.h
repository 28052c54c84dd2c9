/*
 * cmd_iceberg_evolve.h: the `floe iceberg` subcommands of
 * cmd_iceberg_evolve.c (branches, tags, cherry-pick, alter), dispatched from
 * cmd_iceberg.c. argv[0] is the subcommand name.
 */
#ifndef CMD_ICEBERG_EVOLVE_H
#define CMD_ICEBERG_EVOLVE_H

int cmd_iceberg_branch(int argc, char **argv);
int cmd_iceberg_tag(int argc, char **argv);
int cmd_iceberg_cherry_pick(int argc, char **argv);
int cmd_iceberg_alter(int argc, char **argv);

#endif
