/* SPDX-License-Identifier: MIT */
/* e8k_values.h: the normalizers that turn matched text into typed values
 * (money, share counts, percentages, dates, durations), keeping the stated
 * precision and qualifier. Shared by grammar.c (examples) and extract.c. */
#ifndef E8K_VALUES_H
#define E8K_VALUES_H

#include <stddef.h>

typedef enum e8k_vtype {
    E8K_V_TEXT = 0, /* the matched text itself, trimmed */
    E8K_V_MONEY,    /* USD amount, scale words applied */
    E8K_V_PRICE,    /* USD per share or unit */
    E8K_V_SHARES,   /* a count, figures or words */
    E8K_V_NUMBER,   /* a plain number */
    E8K_V_PERCENT,  /* percent; basis points converted */
    E8K_V_DATE,     /* YYYY-MM-DD */
    E8K_V_DURATION, /* years */
    E8K_V_ENUM,     /* the rule's constant value */
    E8K_V_NAME,     /* a party name, trimmed of trailing punctuation */
    E8K_V_MULTIPLE  /* "double" 2, "triple" 3, "four times" 4 */
} e8k_vtype;

typedef struct e8k_norm {
    int has_number;
    double number;
    char string[512];      /* dates, enum values, names (lists), text */
    double precision;      /* unit of the last stated digit; 0 when exact text */
    const char *qualifier; /* static string or NULL */
    const char *unit;      /* static string or NULL */
} e8k_norm;

/* Parses a value of `type` from s[0..n). 0 on success, -1 when the text
 * holds no value of that type. `scale` multiplies money stated without a
 * scale word (1 normally, 1000 under an "(in thousands)" caption). */
int e8k_normalize(e8k_vtype type, const char *s, size_t n, double scale,
                  e8k_norm *out);
/* The type named `name` ("money" ...); -1 when unknown. */
int e8k_vtype_from_name(const char *name);
const char *e8k_vtype_name(e8k_vtype type);
/* The qualifier stated in s[0..n) ("approximately", "up_to", "expected",
 * "on_or_about", "at_least"), or NULL. */
const char *e8k_qualifier(const char *s, size_t n);
/* Parses a count written in words ("forty million", "seven and one-half");
 * 0 ok. */
int e8k_words_number(const char *s, size_t n, double *out);

#endif /* E8K_VALUES_H */
