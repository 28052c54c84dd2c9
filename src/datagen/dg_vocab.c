/*
 * dg_vocab.c: the value vocabularies (dg_vocab.inc, extracted from dsdgen's
 * SF1 output by gen_vocab.py) and weighted picks over them.
 *
 * dg_vocab.inc is generated data (about 4,700 lines of tables), which is why
 * it sits in its own include file rather than in code.
 */
#include "dg_int.h"

#include "../base/alloc.h"

#include "dg_vocab.inc"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

const dg_city *const dg_city_list = dg_cities;
const dg_county *const dg_county_list = dg_counties;
const dg_wstr *const dg_first_name_list = dg_first_names;
const dg_wstr *const dg_last_name_list = dg_last_names;
const dg_wstr *const dg_street_type_list = dg_street_types;
const dg_wstr *const dg_color_list = dg_colors;
const dg_wstr *const dg_unit_list = dg_units;
const dg_wstr *const dg_size_list = dg_sizes;
const char *const *const dg_street_word_list = dg_street_words;
const char *const *const dg_country_list = dg_countries;
const char *const *const dg_word_list = dg_words;
const int dg_n_street_words = N(dg_street_words);
const int dg_n_countries = N(dg_countries);
const int dg_n_words = N(dg_words);
const dg_class *const dg_class_list = dg_classes;
const int dg_n_classes = N(dg_classes);
const dg_brand *const dg_brand_list = dg_brands;
const int dg_n_brands = N(dg_brands);

static int dist_init(dg_dist *d, const int *weights, size_t stride_ints, int n, fl_error *err)
{
    d->cum = fl_malloc(sizeof(uint32_t) * (size_t)n);
    if (!d->cum) return fl_error_set(err, FLOE_ENOMEM, "out of memory building a value distribution");
    uint32_t total = 0;
    for (int i = 0; i < n; i++) {
        total += (uint32_t)weights[(size_t)i * stride_ints];
        d->cum[i] = total;
    }
    d->n = n;
    d->total = total;
    return 0;
}

#define DIST(field, arr, wfield)                                                              \
    dist_init(&v->field, &(arr)[0].wfield, sizeof((arr)[0]) / sizeof(int), N(arr), err)

int dg_vocab_init(dg_vocab *v, fl_error *err)
{
    memset(v, 0, sizeof(*v));
    int rc;
    if ((rc = DIST(cities, dg_cities, w)) < 0 || (rc = DIST(counties, dg_counties, w)) < 0 ||
        (rc = DIST(first_names, dg_first_names, w)) < 0 ||
        (rc = DIST(last_names, dg_last_names, w)) < 0 ||
        (rc = DIST(street_types, dg_street_types, w)) < 0 ||
        (rc = DIST(colors, dg_colors, w)) < 0 || (rc = DIST(units, dg_units, w)) < 0 ||
        (rc = DIST(sizes, dg_sizes, w)) < 0) {
        dg_vocab_dispose(v);
        return rc;
    }
    return 0;
}

void dg_vocab_dispose(dg_vocab *v)
{
    dg_dist *all[] = {&v->cities, &v->counties, &v->first_names, &v->last_names,
                      &v->street_types, &v->colors, &v->units, &v->sizes};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        fl_free(all[i]->cum);
        all[i]->cum = NULL;
    }
}

int dg_dist_pick(const dg_dist *d, dg_rng *r)
{
    uint32_t x = (uint32_t)dg_range(r, 0, (int64_t)d->total - 1);
    int lo = 0, hi = d->n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (d->cum[mid] > x) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
