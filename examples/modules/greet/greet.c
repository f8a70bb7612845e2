/*
 * greet: the smallest useful waPC guest.
 *
 * Operation "greet" reads parameters.text (default "hello") and options.style: "loud" upper-cases
 * the text, "quiet" lower-cases it (ASCII letters only), anything else leaves it as it is.
 * Answers {"parameters":{"greeting":"<text>"},"message":"greeted"}.
 */
#include <ctype.h>

#include "tinyjson.h"
#include "wapc_guest.h"

static int payload_problem(int status) {
    if (status == TJ_NO_MEMORY) {
        return wapc_error("greet: out of memory while reading the payload");
    }
    return wapc_error("greet: the payload is not a valid JSON object; expected the step's JSON such as "
                      "{\"parameters\":{\"text\":\"hello\"},\"options\":{\"style\":\"loud\"}}");
}

static int greet(const uint8_t *payload, size_t payload_len) {
    const char *json = (const char *)payload;
    size_t start = strspn(json, " \t\r\n");
    if (start == payload_len) {
        return wapc_error("greet: the payload is empty; expected the step's JSON with "
                          "parameters.text");
    }
    if (json[start] != '{') {
        return payload_problem(TJ_INVALID);
    }

    char *text = NULL;
    size_t text_len = 0;
    int status = tj_get_string(json, payload_len, TJ_PATH("parameters", "text"), &text, &text_len);
    if (status == TJ_WRONG_TYPE) {
        return wapc_error("greet: parameter \"text\" must be a string");
    }
    if (status == TJ_MISSING) {
        text = strdup("hello");
        text_len = 5;
        status = text == NULL ? TJ_NO_MEMORY : TJ_OK;
    }
    if (status != TJ_OK) {
        return payload_problem(status);
    }

    char *style = NULL;
    size_t style_len = 0;
    if (tj_get_string(json, payload_len, TJ_PATH("options", "style"), &style, &style_len) == TJ_OK) {
        int loud = strcmp(style, "loud") == 0;
        int quiet = strcmp(style, "quiet") == 0;
        for (size_t i = 0; i < text_len; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c < 0x80) {
                text[i] = (char)(loud ? toupper(c) : quiet ? tolower(c) : c);
            }
        }
        free(style);
    }

    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{\"greeting\":");
    tj_buf_add_string(&response, text, text_len);
    tj_buf_add_text(&response, "},\"message\":\"greeted\"}");
    free(text);
    int result = response.failed ? payload_problem(TJ_NO_MEMORY)
                                 : wapc_respond(response.data, response.len);
    tj_buf_free(&response);
    return result;
}

WAPC_EXPORT("wapc_init") void wapc_init(void) { wapc_register("greet", greet); }
