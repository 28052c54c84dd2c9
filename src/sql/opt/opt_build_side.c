/*
 * opt_build_side.c: hash SEMI/ANTI joins on their smaller side. A hash
 * join builds its table on the right child and probes with the left; SEMI
 * and ANTI joins return left rows, so they always build on the right, even
 * when the right input is far larger (TPC-DS 94: EXISTS over all 719K
 * web_sales rows for ~1K outer rows). When the left estimate is at least
 * SWAP_RATIO times smaller, this rule swaps the children and makes the join
 * RIGHT_SEMI / RIGHT_ANTI (plan.h): the small side becomes the build side,
 * whose rows are marked while the big side probes and emitted (marked or
 * unmarked) at the end, as DuckDB 1.2 does.
 *
 * Only NOT EXISTS semantics are swapped (SEMI, ANTI; MARK and SINGLE never)
 * and only joins with an equality key, which always become hash joins.
 * Conditions keep their orientation: after the swap cond->left is the
 * expression over the new left child (comparisons mirrored: a < b becomes
 * b > a); the residual refers to bindings and needs no change.
 *
 * Runs after join ordering (which fixes the estimates' inputs) and after
 * opt_dup_insensitive.c (whose INNER -> SEMI rewrites it considers too), but
 * before opt_semi.c (a swapped join needs no DISTINCT under its probe side).
 */
#include "opt_internal.h"

/* left estimate * SWAP_RATIO <= right estimate: build on the left */
#define SWAP_RATIO 4.0

static bool hash_key_cond(const plan_join_cond *c)
{
    return (c->cmp == PLAN_CMP_EQ || c->cmp == PLAN_CMP_NOT_DISTINCT) &&
           !fl_type_is_nested(c->left->type);
}

static plan_cmp mirror(plan_cmp c)
{
    switch (c) {
    case PLAN_CMP_LT: return PLAN_CMP_GT;
    case PLAN_CMP_LE: return PLAN_CMP_GE;
    case PLAN_CMP_GT: return PLAN_CMP_LT;
    case PLAN_CMP_GE: return PLAN_CMP_LE;
    default: return c;       /* =, <>, IS NOT DISTINCT FROM are symmetric */
    }
}

static bool swappable(const plan_node *n)
{
    if (n->kind != PLAN_JOIN || n->child_count != 2) return false;
    if (n->u.join.type != PLAN_JOIN_SEMI && n->u.join.type != PLAN_JOIN_ANTI) return false;
    for (uint32_t i = 0; i < n->u.join.cond_count; i++)
        if (hash_key_cond(&n->u.join.conds[i])) return true;
    return false;
}

/* A join that also emits rows after its probe (a source of a follower
 * pipeline in ex_pipeline.c). */
static bool emits_after_probe(const plan_node *n)
{
    if (n->kind != PLAN_JOIN) return false;
    plan_join_type t = n->u.join.type;
    return t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL || t == PLAN_JOIN_RIGHT_SEMI ||
           t == PLAN_JOIN_RIGHT_ANTI;
}

/* Operators that end the pipeline their input runs in. */
static bool breaks_pipeline(const plan_node *n)
{
    switch (n->kind) {
    case PLAN_AGGREGATE: case PLAN_ORDER: case PLAN_DISTINCT: case PLAN_WINDOW: case PLAN_TOPN:
        return true;
    default:
        return false;
    }
}

/* Whether a join emitting after its probe streams into n's pipeline. */
static bool probe_path_emits(const plan_node *n)
{
    for (; n && !breaks_pipeline(n); n = n->child_count ? n->children[0] : NULL)
        if (emits_after_probe(n)) return true;
    return false;
}

/*
 * Top-down, so an outer join decides first. A swapped join emits its rows
 * from a follower pipeline after its probe. No swap puts two such joins on
 * one probe path: under_source says n streams into one already, and a join
 * whose new probe side streams from one stays as it is. The guard was
 * written when the pipeline builder ran an outer join's follower before an
 * inner one's (emitting build rows before the inner follower had probed
 * them); ex_pipeline.c now runs followers innermost first, so the guard
 * is conservative: lifting it needs its own measurement and tests.
 */
static int swap_rec(plan_node *n, bool under_source, fl_arena *arena, fl_error *err)
{
    if (swappable(n) && !under_source && !probe_path_emits(n->children[1])) {
        double l = opt_estimate(n->children[0]), r = opt_estimate(n->children[1]);
        if (l * SWAP_RATIO <= r) {
            /* the conditions may be shared with another plan: swap a copy */
            uint32_t nc = n->u.join.cond_count;
            plan_join_cond *conds = fl_arena_alloc(arena, nc * sizeof *conds);
            if (!conds) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            for (uint32_t i = 0; i < nc; i++) {
                const plan_join_cond *c = &n->u.join.conds[i];
                conds[i] = (plan_join_cond){.left = c->right, .right = c->left,
                                            .cmp = mirror(c->cmp)};
            }
            n->u.join.conds = conds;
            plan_node *tmp = n->children[0];
            n->children[0] = n->children[1];
            n->children[1] = tmp;
            n->u.join.type = n->u.join.type == PLAN_JOIN_SEMI ? PLAN_JOIN_RIGHT_SEMI
                                                              : PLAN_JOIN_RIGHT_ANTI;
        }
    }
    for (uint32_t i = 0; i < n->child_count; i++) {
        bool under = false;
        if (i == 0 && !breaks_pipeline(n)) under = under_source || emits_after_probe(n);
        if (i == 1 && n->kind != PLAN_JOIN && !breaks_pipeline(n)) under = under_source;
        FL_TRY(swap_rec(n->children[i], under, arena, err));
    }
    if (n->kind == PLAN_JOIN) opt_estimate(n);
    return 0;
}

int opt_build_side(plan_node **root, fl_arena *arena, fl_error *err)
{
    return swap_rec(*root, false, arena, err);
}
