// shout: a WASI command in C (wasi-libc, no SDK) on the stdio contract. It reads the step's
// payload from stdin, upper-cases the input parameter `text` and ends it with $SHOUT_MARK (default
// "!") repeated as often as its first argument says (default once), and answers
// {"parameters":{"shout":"..."},"message":"shouted"} on stdout. An empty text exits with code 1
// and a line on stderr, which fails the step.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyjson.h"

int main(int argc, char **argv) {
    tj_buf payload = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        tj_buf_add(&payload, chunk, n);
    }
    static const char *const text_path[] = {"parameters", "text"};
    char *text = NULL;
    size_t len = 0;
    if (payload.failed
        || tj_get_string(payload.data, payload.len, text_path, 2, &text, &len) != TJ_OK
        || len == 0) {
        fprintf(stderr, "shout: the payload has no parameters.text to shout\n");
        return 1;
    }
    for (size_t i = 0; i < len; i++) {
        text[i] = (char)toupper((unsigned char)text[i]);
    }
    const char *mark = getenv("SHOUT_MARK") ? getenv("SHOUT_MARK") : "!";
    int times = argc > 1 ? atoi(argv[1]) : 1;
    tj_buf shout = {0};
    tj_buf_add(&shout, text, len);
    for (int i = 0; i < times && i < 100; i++) {
        tj_buf_add_text(&shout, mark);
    }
    tj_buf answer = {0};
    tj_buf_add_text(&answer, "{\"message\":\"shouted\",\"parameters\":{\"shout\":");
    tj_buf_add_string(&answer, shout.data, shout.len);
    tj_buf_add_text(&answer, "}}");
    if (answer.failed) {
        fprintf(stderr, "shout: out of memory\n");
        return 1;
    }
    fwrite(answer.data, 1, answer.len, stdout);
    return 0;
}
