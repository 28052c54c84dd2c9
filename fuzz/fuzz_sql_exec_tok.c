/*
 * fuzz_sql_exec_tok.c: the grammar-aware variant of fuzz_sql_exec: the same
 * database and checks (the file includes fuzz_sql_exec.c), but with a
 * libFuzzer custom mutator that edits SQL by token instead of by byte, so
 * mutated TPC-DS queries and test statements mostly still parse and reach
 * the binder, optimizer and operators.
 *
 * The mutator splits the input into tokens (words, numbers, quoted strings
 * and identifiers, operators, whitespace runs) and applies one to three of:
 * delete a token, duplicate a token, swap two tokens, copy a token from
 * elsewhere in the input, replace a word/number/string with one from a small
 * vocabulary (keywords, functions, the fuzz tables' columns, edge literals),
 * insert a vocabulary entry. One time in four it leaves the job to
 * libFuzzer's byte-level LLVMFuzzerMutate.
 */
#include "fuzz_sql_exec.c"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static const char *const VOCAB[] = {
    "SELECT", "FROM", "WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "UNION ALL",
    "UNION", "INTERSECT", "EXCEPT", "DISTINCT", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN",
    "CROSS JOIN", "ON", "USING", "AS", "WITH", "CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR",
    "NOT", "IN", "EXISTS", "BETWEEN", "LIKE", "IS NULL", "IS NOT NULL", "NULL", "TRUE", "FALSE",
    "OVER (PARTITION BY i ORDER BY d)", "OVER ()", "ROLLUP", "CUBE", "GROUPING SETS", "ASC",
    "DESC NULLS FIRST", "INTERVAL 1 DAY", "CAST(", "::integer", "::varchar", "::decimal(38,10)",
    "::date", "::double", "::bigint", "count(*)", "sum(", "avg(", "min(", "max(", "stddev_samp(",
    "row_number() OVER ()", "rank() OVER (ORDER BY i)", "lag(i) OVER (ORDER BY i)", "coalesce(",
    "nullif(", "substr(", "upper(", "length(", "round(", "abs(", "date_trunc('month', dt)",
    "extract(year FROM dt)", "(SELECT max(i) FROM t1)", "(SELECT k FROM t2)", "EXISTS (SELECT 1 FROM e)",
    "t1", "t2", "p", "e", "i", "b", "d", "dt", "s", "f", "bo", "ts", "k", "v", "w", "id", "region",
    "amount", "a", "store_sales", "item", "date_dim", "ss_item_sk", "i_item_sk", "d_date_sk", "0",
    "-1", "1", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808",
    "99999999999999999999999999999999999999", "1e308", "0.5", "''", "'a'", "'%'",
    "DATE '2024-02-29'", "TIMESTAMP '2024-01-01 00:00:00'", "(", ")", ",", "*", "/", "%", "+", "-",
    "=", "<>", "<", ">=", "||", ";",
};

typedef struct tok {
    size_t off, len;
    int word;   /* word, number or quoted: a replaceable unit */
} tok;

static size_t tokenize(const uint8_t *d, size_t n, tok *toks, size_t max)
{
    size_t count = 0, i = 0;
    while (i < n && count < max) {
        size_t start = i;
        uint8_t c = d[i];
        int word = 1;
        if (isspace(c)) {
            while (i < n && isspace(d[i])) i++;
            word = 0;
        } else if (isalnum(c) || c == '_' || c == '.') {
            while (i < n && (isalnum(d[i]) || d[i] == '_' || d[i] == '.')) i++;
        } else if (c == '\'' || c == '"') {
            i++;
            while (i < n && d[i] != c) i++;
            if (i < n) i++;
        } else {
            i++;
            word = 0;
        }
        toks[count].off = start;
        toks[count].len = i - start;
        toks[count].word = word;
        count++;
    }
    return count;
}

/* out = data with [at, at+cut) replaced by ins (len ins_len); size or 0 */
static size_t splice(uint8_t *data, size_t size, size_t max, size_t at, size_t cut, const uint8_t *ins,
                     size_t ins_len)
{
    if (size - cut + ins_len > max) return 0;
    memmove(data + at + ins_len, data + at + cut, size - at - cut);
    if (ins_len) memcpy(data + at, ins, ins_len);
    return size - cut + ins_len;
}

static size_t mutate_once(uint8_t *data, size_t size, size_t max, unsigned *seed)
{
    static tok toks[2048];
    size_t n = tokenize(data, size, toks, 2048);
    if (n == 0) {
        const char *v = VOCAB[rand_r(seed) % (sizeof VOCAB / sizeof VOCAB[0])];
        return splice(data, size, max, 0, 0, (const uint8_t *)v, strlen(v));
    }
    tok a = toks[rand_r(seed) % n], b = toks[rand_r(seed) % n];
    const char *v = VOCAB[rand_r(seed) % (sizeof VOCAB / sizeof VOCAB[0])];
    uint8_t tmp[MAX_INPUT + 64];
    switch (rand_r(seed) % 6) {
    case 0:   /* delete */
        return splice(data, size, max, a.off, a.len, NULL, 0);
    case 1:   /* duplicate */
        if (a.len > sizeof tmp) return 0;
        memcpy(tmp, data + a.off, a.len);
        return splice(data, size, max, a.off, 0, tmp, a.len);
    case 2: { /* swap a and b */
        if (a.off == b.off) return 0;
        if (a.off > b.off) { tok t = a; a = b; b = t; }
        if (a.off + a.len > b.off || a.len + b.len > sizeof tmp) return 0;
        size_t span = b.off + b.len - a.off;
        if (span > sizeof tmp) return 0;
        size_t mid = b.off - (a.off + a.len), o = 0;
        memcpy(tmp + o, data + b.off, b.len); o += b.len;
        memcpy(tmp + o, data + a.off + a.len, mid); o += mid;
        memcpy(tmp + o, data + a.off, a.len);
        memcpy(data + a.off, tmp, span);
        return size;
    }
    case 3:   /* copy b over a */
        if (b.len > sizeof tmp) return 0;
        memcpy(tmp, data + b.off, b.len);
        return splice(data, size, max, a.off, a.len, tmp, b.len);
    case 4:   /* replace a word with vocabulary */
        if (!a.word) return 0;
        return splice(data, size, max, a.off, a.len, (const uint8_t *)v, strlen(v));
    default: { /* insert vocabulary, space-separated */
        size_t len = strlen(v);
        if (len + 2 > sizeof tmp) return 0;
        tmp[0] = ' ';
        memcpy(tmp + 1, v, len);
        tmp[len + 1] = ' ';
        return splice(data, size, max, a.off, 0, tmp, len + 2);
    }
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (max_size > MAX_INPUT) max_size = MAX_INPUT;
    if (size > max_size) size = max_size;
    if (seed % 4 == 0) return LLVMFuzzerMutate(data, size, max_size);
    unsigned s = seed;
    int rounds = 1 + (int)(rand_r(&s) % 3);
    size_t cur = size;
    for (int r = 0; r < rounds; r++) {
        size_t next = mutate_once(data, cur, max_size, &s);
        if (next) cur = next;
    }
    return cur;
}
