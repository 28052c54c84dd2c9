/*
 * cmd_namespace.c: the `floe namespace` command group on the warehouse's
 * SQLite catalog (<warehouse>/catalog.db, Iceberg's JDBC layout):
 * `create NS [--property k=v]...`, `list [NS]` and `drop NS`. `create`
 * makes the warehouse directory and the catalog on first use; `list` and
 * `drop` do not create anything.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../catalog/catalog.h"
#include "cli.h"
#include "cmd_iceberg.h"

const char namespace_usage[] =
    "usage: floe namespace <command> [options]\n"
    "\n"
    "commands:\n"
    "  create NS [--property k=v]... create a namespace (levels joined by dots)\n"
    "  list [NS]                     the namespaces at the top level or under NS\n"
    "  drop NS                       drop an empty namespace\n"
    "\n"
    "options:\n"
    "  --warehouse DIR               warehouse holding catalog.db (default ./warehouse)\n"
    "  --catalog URI                 catalog to use instead: sqlite:PATH, postgresql://...,\n"
    "                                or a libpq conninfo (default sqlite://WAREHOUSE/catalog.db)\n";

#define NS_MAX_PROPS 64

typedef struct ns_opts {
    const char *warehouse;
    const char *props[NS_MAX_PROPS];
    size_t prop_count;
    int nargs;
    char **args;
} ns_opts;

static int parse_ns_opts(ns_opts *o, int argc, char **argv, bool allow_props)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"property", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': o->warehouse = optarg; break;
        case 'p':
            if (!allow_props)
                return cli_usage_error(namespace_usage, "namespace %s has no --property option",
                                       argv[0]);
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return cli_usage_error(namespace_usage, "--property needs k=v, not \"%s\"", optarg);
            if (o->prop_count == NS_MAX_PROPS)
                return cli_usage_error(namespace_usage, "too many --property options");
            o->props[o->prop_count++] = optarg;
            break;
        case ':': return cli_usage_error(namespace_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(namespace_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    return CLI_OK;
}

static int ns_create(const ns_opts *o, fl_error *err)
{
    FL_TRY(cat_check_namespace(o->args[0], err));
    cat_props props;
    cat_props_init(&props);
    int rc = 0;
    for (size_t i = 0; i < o->prop_count && rc == 0; i++) {
        const char *eq = strchr(o->props[i], '=');
        char key[CAT_NAME_MAX + 2];
        if ((size_t)(eq - o->props[i]) > CAT_NAME_MAX) {
            rc = fl_error_set(err, FLOE_EINVAL, "property name in \"%s\" is too long", o->props[i]);
            break;
        }
        snprintf(key, sizeof(key), "%.*s", (int)(eq - o->props[i]), o->props[i]);
        rc = cat_props_set(&props, key, eq + 1, err);
    }
    cat_catalog *cat = NULL;
    if (rc == 0) rc = ice_cli_catalog_open(&cat, o->warehouse, true, false, err);
    if (rc == 0) rc = cat_namespace_create(cat, o->args[0], &props, err);
    cat_free(cat);
    cat_props_dispose(&props);
    return rc;
}

static int ns_list(const ns_opts *o, fl_error *err)
{
    const char *parent = o->nargs ? o->args[0] : NULL;
    cat_catalog *cat = NULL;
    int rc = ice_cli_catalog_open(&cat, o->warehouse, false, true, err);
    if (rc == FLOE_ENOTFOUND && !parent) return 0;   /* no catalog yet: no namespaces */
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set(err, FLOE_ENOTFOUND, "namespace \"%s\" does not exist", parent);
    if (rc < 0) return rc;
    cat_list names;
    cat_list_init(&names);
    rc = cat_namespace_list(cat, parent, &names, err);
    for (size_t i = 0; rc == 0 && i < names.len; i++) puts(names.items[i]);
    cat_list_dispose(&names);
    cat_free(cat);
    if (rc == 0 && fflush(stdout) != 0)
        rc = fl_error_set(err, FLOE_EIO, "could not write to standard output");
    return rc;
}

static int ns_drop(const ns_opts *o, fl_error *err)
{
    cat_catalog *cat = NULL;
    int rc = ice_cli_catalog_open(&cat, o->warehouse, false, false, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set(err, FLOE_ENOTFOUND, "namespace \"%s\" does not exist", o->args[0]);
    if (rc < 0) return rc;
    rc = cat_namespace_drop(cat, o->args[0], err);
    cat_free(cat);
    return rc;
}

int cmd_namespace(int argc, char **argv)
{
    argc = ice_cli_take_catalog_opt(argc, argv);
    if (argc < 0) return cli_usage_error(namespace_usage, "option --catalog needs a value");
    if (argc < 2) return cli_usage_error(namespace_usage, "missing namespace command");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(namespace_usage, stdout);
        return CLI_OK;
    }
    bool create = !strcmp(sub, "create"), list = !strcmp(sub, "list"), drop = !strcmp(sub, "drop");
    if (!create && !list && !drop)
        return cli_usage_error(namespace_usage, "unknown namespace command \"%s\"", sub);
    ns_opts o;
    int u = parse_ns_opts(&o, argc - 1, argv + 1, create);
    if (u != CLI_OK) return u;
    if (list ? o.nargs > 1 : o.nargs != 1)
        return cli_usage_error(namespace_usage, "namespace %s takes %s", sub,
                               list ? "at most one NS" : "one NS");
    fl_error err;
    int rc = create ? ns_create(&o, &err) : list ? ns_list(&o, &err) : ns_drop(&o, &err);
    return rc < 0 ? cli_fail(&err) : CLI_OK;
}
