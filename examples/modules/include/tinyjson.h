/*
 * Just enough JSON for waPC guests: read string (or whole number) fields out of a payload, and
 * write JSON text with correctly escaped strings.
 *
 * Reading: every lookup first checks that the whole document is valid JSON (RFC 8259 grammar,
 * nesting up to TJ_MAX_DEPTH), then follows a path of object keys:
 *
 *   char *text; size_t text_len;
 *   int status = tj_get_string(payload, payload_len, TJ_PATH("parameters", "text"), &text, &text_len);
 *   // TJ_OK (text is malloc'd, NUL-terminated: free it), TJ_MISSING, TJ_WRONG_TYPE, TJ_INVALID,
 *   // TJ_NO_MEMORY
 *
 * Writing: a growable buffer; tj_buf_add_string writes a quoted JSON string. After a failed
 * allocation the buffer stops growing and remembers it in `failed`.
 */
#ifndef TINYJSON_H
#define TINYJSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TJ_MAX_DEPTH 128

enum tj_status { TJ_OK = 0, TJ_MISSING, TJ_WRONG_TYPE, TJ_INVALID, TJ_NO_MEMORY };

/* A key path as the two arguments the lookups take: an array of keys and its length. */
#define TJ_PATH(...)                                                                               \
    (const char *const[]){__VA_ARGS__},                                                            \
        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

/* ---- writing ---------------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} tj_buf;

static inline void tj_buf_add(tj_buf *buf, const void *bytes, size_t len) {
    if (buf->failed) {
        return;
    }
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap < 64 ? 64 : buf->cap;
        while (cap < buf->len + len + 1) {
            cap *= 2;
        }
        char *data = realloc(buf->data, cap);
        if (data == NULL) {
            buf->failed = 1;
            return;
        }
        buf->data = data;
        buf->cap = cap;
    }
    memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = 0;
}

static inline void tj_buf_add_text(tj_buf *buf, const char *text) {
    tj_buf_add(buf, text, strlen(text));
}

static inline void tj_buf_add_uint(tj_buf *buf, uint64_t value) {
    char digits[20];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    tj_buf_add(buf, digits + n, sizeof digits - n);
}

/* Writes bytes (UTF-8 assumed) as a quoted JSON string, escaping quotes, backslashes and controls. */
static inline void tj_buf_add_string(tj_buf *buf, const void *bytes, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = bytes;
    size_t plain = 0;
    tj_buf_add(buf, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        tj_buf_add(buf, s + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': tj_buf_add(buf, "\\\"", 2); break;
        case '\\': tj_buf_add(buf, "\\\\", 2); break;
        case '\b': tj_buf_add(buf, "\\b", 2); break;
        case '\f': tj_buf_add(buf, "\\f", 2); break;
        case '\n': tj_buf_add(buf, "\\n", 2); break;
        case '\r': tj_buf_add(buf, "\\r", 2); break;
        case '\t': tj_buf_add(buf, "\\t", 2); break;
        default: {
            char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tj_buf_add(buf, escape, sizeof escape);
        }
        }
    }
    tj_buf_add(buf, s + plain, len - plain);
    tj_buf_add(buf, "\"", 1);
}

static inline void tj_buf_free(tj_buf *buf) {
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
    buf->failed = 0;
}

/* ---- reading ---------------------------------------------------------------------------------- */

typedef struct {
    const char *p;
    const char *end;
} tj_cursor;

static inline void tj_skip_space(tj_cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static inline int tj_hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape starting at p; -1 when they are not hex digits. */
static inline long tj_hex4(const char *p, const char *end) {
    if (end - p < 4) {
        return -1;
    }
    long value = 0;
    for (int i = 0; i < 4; i++) {
        int digit = tj_hex_value(p[i]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

/* At an opening quote: moves past the closing quote; 0 when the string is malformed. */
static inline int tj_skip_string(tj_cursor *c) {
    c->p++;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            c->p++;
            return 1;
        }
        if (ch < 0x20) {
            return 0;
        }
        if (ch != '\\') {
            c->p++;
            continue;
        }
        if (c->end - c->p < 2) {
            return 0;
        }
        char escape = c->p[1];
        if (escape == 'u') {
            if (tj_hex4(c->p + 2, c->end) < 0) {
                return 0;
            }
            c->p += 6;
        } else if (escape != 0 && strchr("\"\\/bfnrt", escape) != NULL) {
            c->p += 2;
        } else {
            return 0;
        }
    }
    return 0;
}

static inline int tj_skip_digits(tj_cursor *c) {
    const char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        c->p++;
    }
    return c->p > start;
}

static inline int tj_skip_number(tj_cursor *c) {
    if (*c->p == '-') {
        c->p++;
    }
    if (c->p < c->end && *c->p == '0') {
        c->p++;
    } else if (!tj_skip_digits(c)) {
        return 0;
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!tj_skip_digits(c)) {
            return 0;
        }
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
            c->p++;
        }
        if (!tj_skip_digits(c)) {
            return 0;
        }
    }
    return 1;
}

static inline int tj_skip_word(tj_cursor *c, const char *word) {
    size_t len = strlen(word);
    if ((size_t)(c->end - c->p) < len || memcmp(c->p, word, len) != 0) {
        return 0;
    }
    c->p += len;
    return 1;
}

/* At a value: moves past it; 0 when it is malformed or nested deeper than TJ_MAX_DEPTH. */
static inline int tj_skip_value(tj_cursor *c, int depth) {
    if (c->p >= c->end) {
        return 0;
    }
    switch (*c->p) {
    case '"': return tj_skip_string(c);
    case 't': return tj_skip_word(c, "true");
    case 'f': return tj_skip_word(c, "false");
    case 'n': return tj_skip_word(c, "null");
    case '{':
    case '[': {
        char close = *c->p == '{' ? '}' : ']';
        int object = close == '}';
        if (depth >= TJ_MAX_DEPTH) {
            return 0;
        }
        c->p++;
        tj_skip_space(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return 1;
        }
        for (;;) {
            if (object) {
                if (c->p >= c->end || *c->p != '"' || !tj_skip_string(c)) {
                    return 0;
                }
                tj_skip_space(c);
                if (c->p >= c->end || *c->p != ':') {
                    return 0;
                }
                c->p++;
                tj_skip_space(c);
            }
            if (!tj_skip_value(c, depth + 1)) {
                return 0;
            }
            tj_skip_space(c);
            if (c->p >= c->end) {
                return 0;
            }
            if (*c->p == close) {
                c->p++;
                return 1;
            }
            if (*c->p != ',') {
                return 0;
            }
            c->p++;
            tj_skip_space(c);
        }
    }
    default: return (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) && tj_skip_number(c);
    }
}

/* TJ_OK when json holds exactly one valid JSON value, surrounded by nothing but whitespace. */
static inline int tj_validate(const char *json, size_t len) {
    tj_cursor c = {json, json + len};
    tj_skip_space(&c);
    if (!tj_skip_value(&c, 0)) {
        return TJ_INVALID;
    }
    tj_skip_space(&c);
    return c.p == c.end ? TJ_OK : TJ_INVALID;
}

static inline char *tj_put_utf8(char *out, unsigned long cp) {
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

/*
 * Decodes a validated JSON string literal (quotes included in [start, end)) into out, which must
 * hold end - start bytes: no escape decodes to more bytes than it takes. Unpaired surrogates
 * become U+FFFD. Returns the decoded length; out is NUL-terminated.
 */
static inline size_t tj_decode_string(const char *start, const char *end, char *out) {
    const char *p = start + 1;
    const char *last = end - 1;
    char *o = out;
    while (p < last) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        char escape = p[1];
        p += 2;
        switch (escape) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned long cp = (unsigned long)tj_hex4(p, last);
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && last - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                long low = tj_hex4(p + 2, last);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)low - 0xDC00);
                    p += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            o = tj_put_utf8(o, cp);
            break;
        }
        default: *o++ = escape; break;
        }
    }
    *o = 0;
    return (size_t)(o - out);
}

static inline int tj_key_equals(const char *start, const char *end, const char *key) {
    size_t raw_len = (size_t)(end - start) - 2;
    if (memchr(start + 1, '\\', raw_len) == NULL) {
        return raw_len == strlen(key) && memcmp(start + 1, key, raw_len) == 0;
    }
    char *decoded = malloc((size_t)(end - start));
    if (decoded == NULL) {
        return -1;
    }
    size_t len = tj_decode_string(start, end, decoded);
    int equal = len == strlen(key) && memcmp(decoded, key, len) == 0;
    free(decoded);
    return equal;
}

/* The raw text of a value found by tj_find: its first character tells its type. */
typedef struct {
    const char *start;
    const char *end;
} tj_value;

/* Finds the value at a path of object keys; the first of duplicate keys wins. */
static inline int tj_find(const char *json, size_t len, const char *const *path, size_t depth,
                   tj_value *found) {
    if (tj_validate(json, len) != TJ_OK) {
        return TJ_INVALID;
    }
    tj_cursor c = {json, json + len};
    tj_skip_space(&c);
    for (size_t level = 0; level < depth; level++) {
        if (*c.p != '{') {
            return TJ_MISSING;
        }
        c.p++;
        tj_skip_space(&c);
        int matched = 0;
        while (*c.p == '"') {
            const char *key = c.p;
            tj_skip_string(&c);
            matched = tj_key_equals(key, c.p, path[level]);
            if (matched < 0) {
                return TJ_NO_MEMORY;
            }
            tj_skip_space(&c);
            c.p++; /* the colon */
            tj_skip_space(&c);
            if (matched) {
                break;
            }
            tj_skip_value(&c, 0);
            tj_skip_space(&c);
            if (*c.p == ',') {
                c.p++;
                tj_skip_space(&c);
            }
        }
        if (!matched) {
            return TJ_MISSING;
        }
    }
    found->start = c.p;
    tj_skip_value(&c, 0);
    found->end = c.p;
    return TJ_OK;
}

/* The string at path, decoded into a malloc'd, NUL-terminated copy (*out; free it). */
static inline int tj_get_string(const char *json, size_t len, const char *const *path, size_t depth,
                         char **out, size_t *out_len) {
    tj_value value;
    int status = tj_find(json, len, path, depth, &value);
    if (status != TJ_OK) {
        return status;
    }
    if (*value.start != '"') {
        return TJ_WRONG_TYPE;
    }
    char *decoded = malloc((size_t)(value.end - value.start));
    if (decoded == NULL) {
        return TJ_NO_MEMORY;
    }
    *out_len = tj_decode_string(value.start, value.end, decoded);
    *out = decoded;
    return TJ_OK;
}

/*
 * A whole number at path, written either as a JSON number without sign, fraction or exponent, or
 * as a string of decimal digits (Argo passes every parameter as a string). At most 18 digits.
 */
static inline int tj_get_uint(const char *json, size_t len, const char *const *path, size_t depth,
                       uint64_t *out) {
    tj_value value;
    int status = tj_find(json, len, path, depth, &value);
    if (status != TJ_OK) {
        return status;
    }
    const char *p = value.start;
    const char *end = value.end;
    if (*p == '"') {
        p++;
        end--;
    }
    if (p == end || end - p > 18) {
        return TJ_WRONG_TYPE;
    }
    uint64_t number = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') {
            return TJ_WRONG_TYPE;
        }
        number = number * 10 + (uint64_t)(*p - '0');
    }
    *out = number;
    return TJ_OK;
}

#endif
