/*
 * conformance: one waPC guest with an operation for each situation a host has to handle, from
 * well-behaved calls to guests that trap, loop, exhaust memory or hand the host bad pointers.
 * README.md beside this file lists the operations and what each one proves.
 */
#include <stdio.h>
#include <time.h>

#include "tinyjson.h"
#include "wapc_guest.h"

/* An address past the end of any 32-bit memory that a host may have granted. */
#define OUT_OF_BOUNDS ((uint8_t *)0xFFFFFFF0u)

static int respond_buf(tj_buf *response) {
    int result = response->failed ? wapc_error("conformance: out of guest memory")
                                  : wapc_respond(response->data, response->len);
    tj_buf_free(response);
    return result;
}

/* Responds {"parameters":{"<name>":"<value>"}} with a whole-number value. */
static int respond_count(const char *name, uint64_t value) {
    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{");
    tj_buf_add_string(&response, name, strlen(name));
    tj_buf_add_text(&response, ":\"");
    tj_buf_add_uint(&response, value);
    tj_buf_add_text(&response, "\"}}");
    return respond_buf(&response);
}

/* ---- init hooks ------------------------------------------------------------------------------ */

static char init_order[128];

static void record_init(const char *hook) {
    size_t used = strlen(init_order);
    if (used + strlen(hook) + 2 > sizeof init_order) {
        return;
    }
    if (used > 0) {
        strcat(init_order, ",");
    }
    strcat(init_order, hook);
}

/* wasi-libc's _initialize runs the constructors of a reactor module. */
__attribute__((constructor)) static void on_initialize(void) { record_init("initialize"); }

static int init_order_operation(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{\"order\":");
    tj_buf_add_string(&response, init_order, strlen(init_order));
    tj_buf_add_text(&response, "}}");
    return respond_buf(&response);
}

/* ---- answers and failures -------------------------------------------------------------------- */

static int echo(const uint8_t *payload, size_t len) { return wapc_respond(payload, len); }

static int fail(const uint8_t *payload, size_t len) {
    tj_buf text = {0};
    tj_buf_add_text(&text, "deliberate failure: ");
    tj_buf_add(&text, payload, len);
    int result = text.failed ? wapc_error("deliberate failure") : wapc_error_bytes(text.data, text.len);
    tj_buf_free(&text);
    return result;
}

static int fail_silent(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    return 0;
}

static int no_response(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    return 1;
}

static int bad_json(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    return wapc_respond_text("not json at all");
}

/* Answers {"parameters":{"fill":"xxx..."}} padded to exactly options.size bytes. */
/* Busy-waits options.ms milliseconds on the WASI monotonic clock, then answers: a step that takes a
 * while and then succeeds. */
static int wait_ms(const uint8_t *payload, size_t len) {
    uint64_t ms = 0;
    if (tj_get_uint((const char *)payload, len, TJ_PATH("options", "ms"), &ms) != TJ_OK) {
        return wapc_error("wait-ms: options.ms must be a whole number of milliseconds");
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((uint64_t)(now.tv_sec - start.tv_sec) * 1000u +
                 (uint64_t)((now.tv_nsec - start.tv_nsec) / 1000000) <
             ms);
    return respond_count("waited", ms);
}

static int huge_response(const uint8_t *payload, size_t len) {
    static const char head[] = "{\"parameters\":{\"fill\":\"";
    static const char tail[] = "\"}}";
    const size_t frame = sizeof head - 1 + sizeof tail - 1;
    uint64_t size = 0;
    if (tj_get_uint((const char *)payload, len, TJ_PATH("options", "size"), &size) != TJ_OK) {
        return wapc_error("huge-response: options.size must be a whole number of bytes");
    }
    if (size < frame || size > SIZE_MAX / 2) {
        return wapc_error("huge-response: options.size must be at least 26 and below 2 GiB");
    }
    char *response = malloc((size_t)size);
    if (response == NULL) {
        return wapc_error("huge-response: the guest cannot allocate that many bytes");
    }
    memcpy(response, head, sizeof head - 1);
    memset(response + sizeof head - 1, 'x', (size_t)size - frame);
    memcpy(response + size - (sizeof tail - 1), tail, sizeof tail - 1);
    int result = wapc_respond(response, (size_t)size);
    free(response);
    return result;
}

/* ---- runaway guests -------------------------------------------------------------------------- */

static int trap(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    __builtin_trap();
}

/* volatile keeps the loop (and its backward branch) in the code. */
static volatile int keep_looping = 1;

static int loop(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    while (keep_looping) {
    }
    return wapc_respond_text("{}");
}

/* Each level adds a frame to the engine's call stack: the volatile read after the call keeps it from
 * becoming a loop, and no locals live on the C stack in linear memory. keep_recursing is never
 * cleared; reading it keeps the compiler from proving the recursion endless. */
static volatile int recursion_sink;
static volatile int keep_recursing = 1;

__attribute__((noinline)) static int recurse_deeper(int depth) {
    recursion_sink = depth;
    if (!keep_recursing) {
        return depth;
    }
    return recurse_deeper(depth + 1) + recursion_sink;
}

static int recurse(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    return recurse_deeper(0) != 0 ? wapc_respond_text("{}") : 0;
}

/* Grows memory until the host refuses, then reports the pages it ended with. The response is
 * built on the stack: once memory is full, malloc may have nothing left to give. */
static int grow(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    while (__builtin_wasm_memory_grow(0, 16) != (size_t)-1) {
    }
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) {
    }
    size_t pages = __builtin_wasm_memory_size(0);
    char digits[12];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + pages % 10);
        pages /= 10;
    } while (pages != 0);
    static const char head[] = "{\"parameters\":{\"pages\":\"";
    static const char tail[] = "\"}}";
    char response[sizeof head + sizeof digits + sizeof tail];
    size_t used = 0;
    memcpy(response, head, sizeof head - 1);
    used += sizeof head - 1;
    memcpy(response + used, digits + n, sizeof digits - n);
    used += sizeof digits - n;
    memcpy(response + used, tail, sizeof tail - 1);
    used += sizeof tail - 1;
    return wapc_respond(response, used);
}

/* ---- host calls and logging ------------------------------------------------------------------ */

/* A string field at the top of the payload, or under "options" when the payload is the plugin's
 * step payload (the template's plugin.wasm.options). */
static char *string_field(const uint8_t *payload, size_t len, const char *name) {
    char *value = NULL;
    size_t value_len = 0;
    const char *in_options[] = {"options", name};
    if (tj_get_string((const char *)payload, len, &name, 1, &value, &value_len) == TJ_OK ||
        tj_get_string((const char *)payload, len, in_options, 2, &value, &value_len) == TJ_OK) {
        return value;
    }
    return strdup("");
}

/* Reads both the host's response and its error after the call, so a test also sees that the host
 * cleared the one that does not apply. */
static int host_call(const uint8_t *payload, size_t len) {
    if (tj_validate((const char *)payload, len) != TJ_OK) {
        return wapc_error("host-call: the payload must be JSON such as {\"binding\":\"artifacts\","
                          "\"namespace\":\"text\",\"operation\":\"read\",\"payload\":\"...\"}");
    }
    char *binding = string_field(payload, len, "binding");
    char *namespace_ = string_field(payload, len, "namespace");
    char *operation = string_field(payload, len, "operation");
    char *call_payload = string_field(payload, len, "payload");
    if (binding == NULL || namespace_ == NULL || operation == NULL || call_payload == NULL) {
        return wapc_error("host-call: out of guest memory");
    }
    int32_t ok = __host_call((const uint8_t *)binding, strlen(binding),
                             (const uint8_t *)namespace_, strlen(namespace_),
                             (const uint8_t *)operation, strlen(operation),
                             (const uint8_t *)call_payload, strlen(call_payload));
    size_t response_len = __host_response_len();
    size_t error_len = __host_error_len();
    uint8_t *host_response = malloc(response_len + 1);
    uint8_t *host_error = malloc(error_len + 1);
    if (host_response == NULL || host_error == NULL) {
        return wapc_error("host-call: out of guest memory");
    }
    __host_response(host_response);
    __host_error(host_error);

    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{\"ok\":");
    tj_buf_add_text(&response, ok ? "\"true\"" : "\"false\"");
    tj_buf_add_text(&response, ",\"response\":");
    tj_buf_add_string(&response, host_response, response_len);
    tj_buf_add_text(&response, ",\"error\":");
    tj_buf_add_string(&response, host_error, error_len);
    tj_buf_add_text(&response, "}}");
    free(binding);
    free(namespace_);
    free(operation);
    free(call_payload);
    free(host_response);
    free(host_error);
    return respond_buf(&response);
}

/* Fails with "copy: <what>: <the host's error text>". */
static int copy_failure(const char *what, wapc_host_reply *reply) {
    tj_buf text = {0};
    tj_buf_add_text(&text, "copy: ");
    tj_buf_add_text(&text, what);
    tj_buf_add_text(&text, ": ");
    if (reply->data != NULL) {
        tj_buf_add(&text, reply->data, reply->len);
    } else {
        tj_buf_add_text(&text, "out of guest memory");
    }
    wapc_host_reply_free(reply);
    int result = text.failed ? wapc_error(what) : wapc_error_bytes(text.data, text.len);
    tj_buf_free(&text);
    return result;
}

/* Streams input artifact "in" to output artifact "out" in 64 KiB chunks, so an artifact of any size
 * passes through a guest with little memory; answers {"parameters":{"bytes":"<n>"}}. */
static int copy(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    uint64_t copied = 0;
    for (;;) {
        tj_buf request = {0};
        tj_buf_add_text(&request, "{\"offset\":");
        tj_buf_add_uint(&request, copied);
        tj_buf_add_text(&request, ",\"length\":65536}");
        if (request.failed) {
            tj_buf_free(&request);
            return wapc_error("copy: out of guest memory");
        }
        wapc_host_reply chunk =
            wapc_host_call("artifacts", "in", "read", request.data, request.len);
        tj_buf_free(&request);
        if (!chunk.ok) {
            return copy_failure("cannot read input artifact \"in\"", &chunk);
        }
        size_t chunk_len = chunk.len;
        if (chunk_len == 0) {
            wapc_host_reply_free(&chunk);
            return respond_count("bytes", copied);
        }
        wapc_host_reply written =
            wapc_host_call("artifacts", "out", "write", chunk.data, chunk_len);
        wapc_host_reply_free(&chunk);
        if (!written.ok) {
            return copy_failure("cannot write output artifact \"out\"", &written);
        }
        wapc_host_reply_free(&written);
        copied += chunk_len;
    }
}

static int log_operation(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    wapc_log("console line 1");
    wapc_log("console line 2");
    wapc_log("console line 3");
    fputs("stdout line\n", stdout);
    fflush(stdout);
    fputs("stderr line\n", stderr);
    fflush(stderr);
    return wapc_error("logged and failed");
}

/* ---- instance state -------------------------------------------------------------------------- */

static int call_count;
static char marker[16] = "pristine";

/* A fresh instance answers 1. The marker catches a host that resets some of memory but not all. */
static int counter(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    int pristine = strcmp(marker, "pristine") == 0;
    if (pristine != (call_count == 0)) {
        return wapc_error("counter: inconsistent instance state: the call count and the static "
                          "marker disagree about earlier calls");
    }
    strcpy(marker, "dirty");
    call_count++;
    return respond_count("count", (uint64_t)call_count);
}

extern char **environ;

/* Nothing is granted to a guest: no environment variables, no files. */
static int env(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    uint64_t variables = 0;
    for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
        variables++;
    }
    FILE *file = fopen("/etc/passwd", "r");
    if (file != NULL) {
        fclose(file);
    }
    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{\"environ\":\"");
    tj_buf_add_uint(&response, variables);
    tj_buf_add_text(&response, file != NULL ? "\",\"file\":\"yes\"}}" : "\",\"file\":\"no\"}}");
    return respond_buf(&response);
}

/* ---- bad pointers and lengths ---------------------------------------------------------------- */

static int oob_response(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    __guest_response(OUT_OF_BOUNDS, 100);
    return 1;
}

static int huge_length(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    static const uint8_t small[] = "{}";
    __guest_response(small, 0x7FFFFFFF);
    return 1;
}

/* Asks for the request again with a payload pointer past the end of memory. */
static int oob_request(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    static uint8_t operation[64];
    __guest_request(operation, OUT_OF_BOUNDS);
    return wapc_error("oob-request: the host wrote the payload to an out-of-bounds address "
                      "without failing the call");
}

/* A host that returns instead of failing the call lets the test see what it returned. */
static int oob_host_call(const uint8_t *payload, size_t len) {
    (void)payload, (void)len;
    static const uint8_t name[] = "text";
    int32_t ok = __host_call(OUT_OF_BOUNDS, 100, name, 4, name, 4, name, 4);
    return respond_count("returned", (uint64_t)ok);
}

WAPC_EXPORT("wapc_init") void wapc_init(void) {
    record_init("wapc_init");
    wapc_register("echo", echo);
    wapc_register("fail", fail);
    wapc_register("fail-silent", fail_silent);
    wapc_register("no-response", no_response);
    wapc_register("trap", trap);
    wapc_register("loop", loop);
    wapc_register("recurse", recurse);
    wapc_register("grow", grow);
    wapc_register("host-call", host_call);
    wapc_register("log", log_operation);
    wapc_register("counter", counter);
    wapc_register("oob-response", oob_response);
    wapc_register("huge-length", huge_length);
    wapc_register("oob-request", oob_request);
    wapc_register("oob-host-call", oob_host_call);
    wapc_register("bad-json", bad_json);
    wapc_register("huge-response", huge_response);
    wapc_register("init-order", init_order_operation);
    wapc_register("env", env);
    wapc_register("wait-ms", wait_ms);
    wapc_register("copy", copy);
}
