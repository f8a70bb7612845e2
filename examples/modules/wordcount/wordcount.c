/*
 * wordcount: streams an input artifact through the host and writes output artifacts.
 *
 * Operation "run":
 *   - reads input artifact "text" in 64 KiB chunks (binding "artifacts", namespace "text",
 *     operation "read", payload {"offset":N,"length":65536}) until the host answers with no bytes,
 *     so the input never has to fit in guest memory;
 *   - a word is a run of bytes other than ASCII whitespace; only words of at least parameter
 *     "min-length" characters (UTF-8 code points, default 1) are counted;
 *   - lines are the newline count, plus one when the text does not end with a newline;
 *   - writes output artifact "counts" as {"words":N,"lines":N,"bytes":N};
 *   - writes a plain-text report to output artifact "report" when the payload's "artifacts" object
 *     names it;
 *   - answers {"parameters":{"total":"<words>"},"message":"..."}.
 */
#include "tinyjson.h"
#include "wapc_guest.h"


typedef struct {
    uint64_t min_length;
    uint64_t words;
    uint64_t all_words;
    uint64_t lines;
    uint64_t bytes;
    uint64_t word_length; /* code points in the word being read */
    int last_was_newline;
} word_counter;

static int is_space(uint8_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void end_word(word_counter *counter) {
    if (counter->word_length > 0) {
        counter->all_words++;
        if (counter->word_length >= counter->min_length) {
            counter->words++;
        }
        counter->word_length = 0;
    }
}

static void count_chunk(word_counter *counter, const uint8_t *chunk, size_t len) {
    for (size_t i = 0; i < len; i++) {
        uint8_t c = chunk[i];
        if (is_space(c)) {
            end_word(counter);
            if (c == '\n') {
                counter->lines++;
            }
        } else if ((c & 0xC0) != 0x80) {
            counter->word_length++;
        }
    }
    if (len > 0) {
        counter->bytes += len;
        counter->last_was_newline = chunk[len - 1] == '\n';
    }
}

static void add_count(tj_buf *text, uint64_t count, const char *noun) {
    tj_buf_add_uint(text, count);
    tj_buf_add_text(text, " ");
    tj_buf_add_text(text, noun);
    if (count != 1) {
        tj_buf_add_text(text, "s");
    }
}

static int host_failure(const char *what, wapc_host_reply *reply) {
    tj_buf text = {0};
    tj_buf_add_text(&text, "wordcount: ");
    tj_buf_add_text(&text, what);
    if (reply->data != NULL) {
        tj_buf_add_text(&text, ": ");
        tj_buf_add(&text, reply->data, reply->len);
    } else {
        tj_buf_add_text(&text, ": out of guest memory");
    }
    int result = text.failed ? wapc_error(what) : wapc_error_bytes(text.data, text.len);
    tj_buf_free(&text);
    wapc_host_reply_free(reply);
    return result;
}

static int write_artifact(const char *name, const tj_buf *content) {
    if (content->failed) {
        return wapc_error("wordcount: out of guest memory while writing an output artifact");
    }
    wapc_host_reply reply = wapc_host_call("artifacts", name, "write", content->data, content->len);
    if (!reply.ok) {
        return host_failure(strcmp(name, "counts") == 0
                                ? "cannot write output artifact \"counts\" (declare it in the "
                                  "template's outputs.artifacts)"
                                : "cannot write output artifact \"report\"",
                            &reply);
    }
    wapc_host_reply_free(&reply);
    return 1;
}

static int run(const uint8_t *payload, size_t payload_len) {
    const char *json = (const char *)payload;
    word_counter counter = {.min_length = 1};
    int status = tj_get_uint(json, payload_len, TJ_PATH("parameters", "min-length"),
                             &counter.min_length);
    if (status == TJ_INVALID) {
        return wapc_error("wordcount: the payload is not valid JSON");
    }
    if (status == TJ_WRONG_TYPE) {
        return wapc_error("wordcount: parameter \"min-length\" must be a whole number such as \"3\"");
    }
    tj_value report_artifact;
    int wants_report =
        tj_find(json, payload_len, TJ_PATH("artifacts", "report"), &report_artifact) == TJ_OK;

    for (;;) {
        tj_buf read = {0};
        tj_buf_add_text(&read, "{\"offset\":");
        tj_buf_add_uint(&read, counter.bytes);
        tj_buf_add_text(&read, ",\"length\":65536}");
        if (read.failed) {
            return wapc_error("wordcount: out of guest memory while reading \"text\"");
        }
        wapc_host_reply chunk = wapc_host_call("artifacts", "text", "read", read.data, read.len);
        tj_buf_free(&read);
        if (!chunk.ok) {
            return host_failure("cannot read input artifact \"text\" (declare it in the template's "
                                "inputs.artifacts)",
                                &chunk);
        }
        size_t len = chunk.len;
        count_chunk(&counter, chunk.data, len);
        wapc_host_reply_free(&chunk);
        if (len == 0) {
            break;
        }
    }
    end_word(&counter);
    if (counter.bytes > 0 && !counter.last_was_newline) {
        counter.lines++;
    }

    tj_buf counts = {0};
    tj_buf_add_text(&counts, "{\"words\":");
    tj_buf_add_uint(&counts, counter.words);
    tj_buf_add_text(&counts, ",\"lines\":");
    tj_buf_add_uint(&counts, counter.lines);
    tj_buf_add_text(&counts, ",\"bytes\":");
    tj_buf_add_uint(&counts, counter.bytes);
    tj_buf_add_text(&counts, "}");
    int ok = write_artifact("counts", &counts);
    tj_buf_free(&counts);
    if (!ok) {
        return 0;
    }

    tj_buf summary = {0};
    add_count(&summary, counter.words, "word");
    tj_buf_add_text(&summary, " of at least ");
    add_count(&summary, counter.min_length, "character");
    tj_buf_add_text(&summary, " (");
    add_count(&summary, counter.all_words, "word");
    tj_buf_add_text(&summary, " in all), ");
    add_count(&summary, counter.lines, "line");
    tj_buf_add_text(&summary, ", ");
    add_count(&summary, counter.bytes, "byte");
    if (wants_report) {
        tj_buf report = {0};
        tj_buf_add(&report, summary.data, summary.len);
        tj_buf_add_text(&report, "\n");
        ok = write_artifact("report", &report);
        tj_buf_free(&report);
    }

    tj_buf response = {0};
    if (ok) {
        tj_buf_add_text(&response, "{\"parameters\":{\"total\":\"");
        tj_buf_add_uint(&response, counter.words);
        tj_buf_add_text(&response, "\"},\"message\":");
        tj_buf_add_string(&response, summary.data, summary.len);
        tj_buf_add_text(&response, "}");
        ok = response.failed || summary.failed
                 ? wapc_error("wordcount: out of guest memory while writing the response")
                 : wapc_respond(response.data, response.len);
    }
    tj_buf_free(&summary);
    tj_buf_free(&response);
    return ok;
}

WAPC_EXPORT("wapc_init") void wapc_init(void) { wapc_register("run", run); }
