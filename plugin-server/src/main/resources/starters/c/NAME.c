/*
 * @NAME@: a waPC guest in C.
 *
 * Operation "run" reads parameters.name (default "world") and answers
 * {"parameters":{"greeting":"hello, <name>"},"message":"greeted <name>"}.
 * wapc_guest.h holds the waPC glue, tinyjson.h reads and writes JSON; the guest contract is in
 * docs/module-authors.md of wasm-executor-plugin.
 */
#include "tinyjson.h"
#include "wapc_guest.h"

static int run(const uint8_t *payload, size_t payload_len) {
    char *name = NULL;
    size_t name_len = 0;
    int status =
        tj_get_string((const char *)payload, payload_len, TJ_PATH("parameters", "name"), &name, &name_len);
    if (status == TJ_MISSING) {
        name = strdup("world");
        name_len = 5;
        status = name == NULL ? TJ_NO_MEMORY : TJ_OK;
    }
    if (status == TJ_WRONG_TYPE) {
        return wapc_error("@NAME@: parameter \"name\" must be a string");
    }
    if (status != TJ_OK) {
        return wapc_error("@NAME@: the payload is not the step's JSON object, or memory ran out");
    }

    tj_buf greeting = {0};
    tj_buf_add_text(&greeting, "hello, ");
    tj_buf_add(&greeting, name, name_len);
    tj_buf message = {0};
    tj_buf_add_text(&message, "greeted ");
    tj_buf_add(&message, name, name_len);

    tj_buf response = {0};
    tj_buf_add_text(&response, "{\"parameters\":{\"greeting\":");
    tj_buf_add_string(&response, greeting.data, greeting.len);
    tj_buf_add_text(&response, "},\"message\":");
    tj_buf_add_string(&response, message.data, message.len);
    tj_buf_add_text(&response, "}");
    int result = response.failed ? wapc_error("@NAME@: out of memory") : wapc_respond(response.data, response.len);

    tj_buf_free(&response);
    tj_buf_free(&message);
    tj_buf_free(&greeting);
    free(name);
    return result;
}

WAPC_EXPORT("wapc_init") void wapc_init(void) { wapc_register("run", run); }
