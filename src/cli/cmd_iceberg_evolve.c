/*
 * cmd_iceberg_evolve.c: the `floe iceberg` commands that change a table's
 * metadata without adding data, on the table operations of
 * src/iceberg/ice_evolve.h:
 *
 *   branch create|replace|remove TABLE NAME [--snapshot ID] [retention]
 *   branch fast-forward TABLE NAME TO
 *   tag create|replace|remove TABLE NAME [--snapshot ID] [--max-ref-age-ms MS]
 *   cherry-pick TABLE SNAPSHOT_ID
 *   alter TABLE ACTION [ACTION]...
 *
 * An alter takes a sequence of actions with fixed arguments. The schema
 * actions (add-column, drop-column, rename-column, widen, make-optional,
 * set-doc, move-first, move-before, move-after) are committed together as
 * one schema change, then the partition actions (add-partition,
 * drop-partition, rename-partition, or set-default-spec) as one spec change,
 * then sort-order ("id desc, day(ts) nulls last" or "unsorted"), then the
 * property actions (set-property, unset-property) as one properties change:
 * each group is atomic, the groups are separate commits.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/arena.h"
#include "../iceberg/ice_evolve.h"
#include "../iceberg/ice_table.h"
#include "cli.h"
#include "cmd_iceberg.h"
#include "cmd_iceberg_evolve.h"

#define MAX_ACTIONS 64

static int finish(int rc, const fl_error *err)
{
    if (rc < 0) return cli_fail(err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

/* ---- branch, tag ---- */

static int cmd_ref(int argc, char **argv, bool is_tag)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"snapshot", required_argument, NULL, 's'},
        {"min-snapshots-to-keep", required_argument, NULL, 'k'},
        {"max-snapshot-age-ms", required_argument, NULL, 'a'},
        {"max-ref-age-ms", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *snapshot = NULL;
    ice_ref_opts o = {.snapshot_id = ICE_REF_CURRENT};
    long long v;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case 's': snapshot = optarg; break;
        case 'k':
            if (!cli_parse_int(optarg, 1, INT32_MAX, &v))
                return cli_usage_error(iceberg_usage, "invalid --min-snapshots-to-keep \"%s\" (a positive integer)", optarg);
            o.min_snapshots_to_keep = (int32_t)v;
            break;
        case 'a':
        case 'r':
            if (!cli_parse_int(optarg, 1, INT64_MAX, &v))
                return cli_usage_error(iceberg_usage, "invalid %s \"%s\" (positive milliseconds)", argv[optind - 1], optarg);
            if (ch == 'a') o.max_snapshot_age_ms = v;
            else o.max_ref_age_ms = v;
            break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    const char *kind = is_tag ? "tag" : "branch";
    int nargs = argc - optind;
    const char *action = nargs > 0 ? argv[optind] : "";
    bool ff = !is_tag && !strcmp(action, "fast-forward");
    if (strcmp(action, "create") && strcmp(action, "replace") && strcmp(action, "remove") && !ff)
        return cli_usage_error(iceberg_usage, "iceberg %s takes create, replace, remove%s", kind,
                               is_tag ? "" : " or fast-forward");
    if (nargs != (ff ? 4 : 3))
        return cli_usage_error(iceberg_usage, "iceberg %s %s takes NS.TABLE and NAME%s", kind, action, ff ? " and TO" : "");
    if ((ff || !strcmp(action, "remove")) &&
        (snapshot || o.min_snapshots_to_keep || o.max_snapshot_age_ms || o.max_ref_age_ms))
        return cli_usage_error(iceberg_usage, "iceberg %s %s takes no --snapshot or retention options", kind, action);
    const char *name = argv[optind + 2];
    fl_error err;
    ice_cli_env e;
    ice_commit_stats st = {0};
    int rc = ice_cli_env_open(&e, warehouse, argv[optind + 1], &err);
    if (rc == 0 && snapshot) {
        const ice_snapshot *s;
        rc = ice_cli_snapshot_arg(&s, e.table->md, snapshot, &err);
        if (rc == 0) o.snapshot_id = s->snapshot_id;
    }
    if (rc == 0) {
        if (ff) rc = ice_txn_branch_fast_forward(e.table, name, argv[optind + 3], &st, &err);
        else if (!strcmp(action, "create")) rc = ice_txn_ref_create(e.table, name, is_tag, &o, &st, &err);
        else if (!strcmp(action, "replace")) rc = ice_txn_ref_replace(e.table, name, is_tag, &o, &st, &err);
        else rc = ice_txn_ref_remove(e.table, name, is_tag, &st, &err);
    }
    if (rc == 0) {
        if (!strcmp(action, "remove")) printf("removed %s %s\n", kind, name);
        else printf("%s %s: snapshot %" PRId64 "\n", kind, name, st.snapshot_id);
    }
    ice_cli_env_close(&e);
    return finish(rc, &err);
}

int cmd_iceberg_branch(int argc, char **argv) { return cmd_ref(argc, argv, false); }
int cmd_iceberg_tag(int argc, char **argv) { return cmd_ref(argc, argv, true); }

/* ---- cherry-pick ---- */

int cmd_iceberg_cherry_pick(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 2) return cli_usage_error(iceberg_usage, "iceberg cherry-pick takes NS.TABLE and SNAPSHOT_ID");
    long long id;
    if (!cli_parse_int(argv[optind + 1], INT64_MIN, INT64_MAX, &id))
        return cli_usage_error(iceberg_usage, "invalid snapshot id \"%s\"", argv[optind + 1]);
    fl_error err;
    ice_cli_env e;
    ice_commit_stats st = {0};
    int rc = ice_cli_env_open(&e, warehouse, argv[optind], &err);
    if (rc == 0) rc = ice_txn_cherry_pick(e.table, id, &st, &err);
    if (rc == 0) printf("current snapshot: %" PRId64 "%s\n", st.snapshot_id, st.snapshot_id == id ? " (fast-forward)" : "");
    ice_cli_env_close(&e);
    return finish(rc, &err);
}

/* ---- alter ---- */

/* SQL spellings of Iceberg primitive type names. */
static const char *iceberg_type(const char *t)
{
    static const char *const alias[][2] = {
        {"integer", "int"}, {"bigint", "long"}, {"int64", "long"}, {"int32", "int"}, {"real", "float"},
        {"float4", "float"}, {"float8", "double"}, {"varchar", "string"}, {"text", "string"},
        {"bool", "boolean"}, {"bytea", "binary"}, {"blob", "binary"},
    };
    for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
        if (!strcmp(t, alias[i][0])) return alias[i][1];
    return t;
}

typedef struct alter_plan {
    ice_schema_change schema[MAX_ACTIONS];
    size_t schema_count;
    ice_spec_change spec[MAX_ACTIONS];
    size_t spec_count;
    bool set_default_spec;
    int32_t default_spec;
    bool set_sort;
    ice_sort_term sort[MAX_ACTIONS];
    size_t sort_count;
    char sort_text[4096];
    ice_kv set[MAX_ACTIONS];
    size_t set_count;
    const char *unset[MAX_ACTIONS];
    size_t unset_count;
} alter_plan;

typedef struct alter_action {
    const char *name;
    int nargs;
} alter_action;

static const alter_action ACTIONS[] = {
    {"add-column", 2}, {"drop-column", 1}, {"rename-column", 2}, {"widen", 2}, {"make-optional", 1},
    {"set-doc", 2}, {"move-first", 1}, {"move-before", 2}, {"move-after", 2}, {"add-partition", 1},
    {"drop-partition", 1}, {"rename-partition", 2}, {"set-default-spec", 1}, {"sort-order", 1},
    {"set-property", 1}, {"unset-property", 1},
};

/* Drops a trailing word (case-insensitive) from [p, *end); true when it was there. */
static bool strip_word(const char *p, char **end, const char *word)
{
    size_t n = strlen(word);
    char *e = *end;
    while (e > p && e[-1] == ' ') e--;
    if ((size_t)(e - p) < n || strncasecmp(e - n, word, n) != 0) return false;
    if (e - n > p && e[-n - 1] != ' ') return false;
    *end = e - n;
    return true;
}

/* "id desc, day(ts) asc nulls last" (or "unsorted") into p->sort. */
static int plan_sort(alter_plan *p, const char *text)
{
    if (p->set_sort) return cli_usage_error(iceberg_usage, "sort-order given twice");
    p->set_sort = true;
    if (!strcasecmp(text, "unsorted")) return CLI_OK;
    if (strlen(text) >= sizeof(p->sort_text)) return cli_usage_error(iceberg_usage, "sort-order text is too long");
    snprintf(p->sort_text, sizeof(p->sort_text), "%s", text);
    char *start = p->sort_text;
    int depth = 0;
    for (char *c = p->sort_text;; c++) {
        if (*c == '(') depth++;
        if (*c == ')') depth--;
        if (*c != '\0' && (*c != ',' || depth > 0)) continue;
        bool last = *c == '\0';
        *c = '\0';
        if (p->sort_count == MAX_ACTIONS) return cli_usage_error(iceberg_usage, "too many sort fields");
        ice_sort_term *st = &p->sort[p->sort_count++];
        char *end = c;
        memset(st, 0, sizeof(*st));
        if (strip_word(start, &end, "first")) {
            if (!strip_word(start, &end, "nulls")) return cli_usage_error(iceberg_usage, "invalid sort field \"%s\"", start);
            st->nulls = ICE_NULLS_FIRST;
        } else if (strip_word(start, &end, "last")) {
            if (!strip_word(start, &end, "nulls")) return cli_usage_error(iceberg_usage, "invalid sort field \"%s\"", start);
            st->nulls = ICE_NULLS_LAST;
        }
        if (strip_word(start, &end, "desc")) st->descending = true;
        else strip_word(start, &end, "asc");
        *end = '\0';
        while (*start == ' ') start++;
        st->term = start;
        if (last) break;
        start = c + 1;
    }
    return CLI_OK;
}

/* Adds one action with its arguments a[0..] to the plan; CLI_OK or a usage error. */
static int plan_action(alter_plan *p, const char *act, char **a)
{
    if (p->schema_count == MAX_ACTIONS || p->spec_count == MAX_ACTIONS || p->set_count == MAX_ACTIONS ||
        p->unset_count == MAX_ACTIONS)
        return cli_usage_error(iceberg_usage, "too many alter actions (at most %d of a kind)", MAX_ACTIONS);
    ice_schema_change *s = &p->schema[p->schema_count];
    memset(s, 0, sizeof(*s));
    if (!strcmp(act, "add-column")) {
        char *dot = strrchr(a[0], '.');
        s->op = ICE_SCHEMA_ADD_COLUMN;
        s->column = a[0];
        if (dot && dot != a[0] && dot[1]) {   /* "point.z": z in struct point */
            *dot = '\0';
            s->parent = a[0];
            s->column = dot + 1;
        }
        s->type = iceberg_type(a[1]);
    } else if (!strcmp(act, "drop-column")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_DROP_COLUMN, .column = a[0]};
    } else if (!strcmp(act, "rename-column")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_RENAME_COLUMN, .column = a[0], .new_name = a[1]};
    } else if (!strcmp(act, "widen")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_WIDEN, .column = a[0], .type = iceberg_type(a[1])};
    } else if (!strcmp(act, "make-optional")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_MAKE_OPTIONAL, .column = a[0]};
    } else if (!strcmp(act, "set-doc")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_SET_DOC, .column = a[0], .doc = a[1][0] ? a[1] : NULL};
    } else if (!strcmp(act, "move-first")) {
        *s = (ice_schema_change){.op = ICE_SCHEMA_MOVE_FIRST, .column = a[0]};
    } else if (!strcmp(act, "move-before") || !strcmp(act, "move-after")) {
        *s = (ice_schema_change){.op = act[5] == 'b' ? ICE_SCHEMA_MOVE_BEFORE : ICE_SCHEMA_MOVE_AFTER, .column = a[0],
                                 .other = a[1]};
    } else if (!strcmp(act, "add-partition")) {
        p->spec[p->spec_count++] = (ice_spec_change){.op = ICE_SPEC_ADD_FIELD, .term = a[0]};
        return CLI_OK;
    } else if (!strcmp(act, "drop-partition")) {
        p->spec[p->spec_count++] = (ice_spec_change){.op = ICE_SPEC_REMOVE_FIELD, .name = a[0]};
        return CLI_OK;
    } else if (!strcmp(act, "rename-partition")) {
        p->spec[p->spec_count++] = (ice_spec_change){.op = ICE_SPEC_RENAME_FIELD, .name = a[0], .new_name = a[1]};
        return CLI_OK;
    } else if (!strcmp(act, "set-default-spec")) {
        long long id;
        if (!cli_parse_int(a[0], 0, INT32_MAX, &id))
            return cli_usage_error(iceberg_usage, "invalid spec id \"%s\"", a[0]);
        p->set_default_spec = true;
        p->default_spec = (int32_t)id;
        return CLI_OK;
    } else if (!strcmp(act, "sort-order")) {
        return plan_sort(p, a[0]);
    } else if (!strcmp(act, "set-property")) {
        char *eq = strchr(a[0], '=');
        if (!eq || eq == a[0]) return cli_usage_error(iceberg_usage, "set-property takes KEY=VALUE, not \"%s\"", a[0]);
        *eq = '\0';
        p->set[p->set_count++] = (ice_kv){.key = a[0], .value = eq + 1};
        return CLI_OK;
    } else {
        p->unset[p->unset_count++] = a[0];
        return CLI_OK;
    }
    p->schema_count++;
    return CLI_OK;
}

static int run_alter(ice_table *t, const alter_plan *p, fl_error *err)
{
    if (p->schema_count) {
        FL_TRY(ice_txn_update_schema(t, p->schema, p->schema_count, NULL, err));
        printf("schema %d is current (last column id %d)\n", (int)t->md->current_schema_id, (int)t->md->last_column_id);
    }
    if (p->spec_count) {
        FL_TRY(ice_txn_update_spec(t, p->spec, p->spec_count, NULL, err));
        printf("partition spec %d is the default\n", (int)t->md->default_spec_id);
    }
    if (p->set_default_spec) {
        FL_TRY(ice_txn_set_default_spec(t, p->default_spec, NULL, err));
        printf("partition spec %d is the default\n", (int)t->md->default_spec_id);
    }
    if (p->set_sort) {
        FL_TRY(ice_txn_replace_sort_order(t, p->sort, p->sort_count, NULL, err));
        printf("sort order %d is the default\n", (int)t->md->default_sort_order_id);
    }
    if (p->set_count || p->unset_count) {
        FL_TRY(ice_txn_update_properties(t, p->set, p->set_count, p->unset, p->unset_count, NULL, err));
        printf("properties: %zu set, %zu removed\n", p->set_count, p->unset_count);
    }
    return 0;
}

int cmd_iceberg_alter(int argc, char **argv)
{
    /* options may come anywhere except inside an action's arguments, which
     * are taken as given (a doc may start with "--") */
    const char *warehouse = NULL, *table = NULL;
    alter_plan *p = fl_calloc(1, sizeof(*p));
    if (!p) {
        fputs("floe: out of memory\n", stderr);
        return CLI_FAILED;
    }
    int u = CLI_OK;
    size_t actions = 0;
    for (int i = 1; u == CLI_OK && i < argc;) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--warehouse")) {
            if (i + 1 >= argc) u = cli_usage_error(iceberg_usage, "option --warehouse needs a value");
            else warehouse = argv[i + 1];
            i += 2;
            continue;
        }
        if (!strncmp(arg, "--warehouse=", 12)) {
            warehouse = arg + 12;
            i++;
            continue;
        }
        if (arg[0] == '-' && arg[1] == '-') {
            u = cli_usage_error(iceberg_usage, "unknown option \"%s\"", arg);
            break;
        }
        if (table == NULL) {
            table = arg;
            i++;
            continue;
        }
        const alter_action *act = NULL;
        for (size_t k = 0; k < sizeof(ACTIONS) / sizeof(ACTIONS[0]) && !act; k++)
            if (!strcmp(arg, ACTIONS[k].name)) act = &ACTIONS[k];
        if (!act) {
            u = cli_usage_error(iceberg_usage, "unknown alter action \"%s\"", arg);
        } else if (i + act->nargs >= argc) {
            u = cli_usage_error(iceberg_usage, "alter action %s takes %d argument%s", act->name, act->nargs,
                                act->nargs == 1 ? "" : "s");
        } else {
            u = plan_action(p, act->name, argv + i + 1);
            i += 1 + act->nargs;
            actions++;
        }
    }
    if (u == CLI_OK && (table == NULL || actions == 0))
        u = cli_usage_error(iceberg_usage, "iceberg alter takes NS.TABLE and ACTION...");
    if (u == CLI_OK && p->spec_count && p->set_default_spec)
        u = cli_usage_error(iceberg_usage, "set-default-spec cannot be combined with partition field actions");
    if (u != CLI_OK) {
        fl_free(p);
        return u;
    }
    fl_error err;
    ice_cli_env e;
    int rc = ice_cli_env_open(&e, warehouse, table, &err);
    if (rc == 0) rc = run_alter(e.table, p, &err);
    ice_cli_env_close(&e);
    fl_free(p);
    return finish(rc, &err);
}
