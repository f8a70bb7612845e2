/*
 * A minimal waPC guest SDK for C modules built with `clang --target=wasm32-wasi -mexec-model=reactor`.
 *
 * Include it in the module's single source file, then register each operation in the exported
 * `wapc_init` (the host calls it once per instance, after `_initialize`):
 *
 *   static int greet(const uint8_t *payload, size_t payload_len) {
 *       return wapc_respond_text("{\"parameters\":{}}");
 *   }
 *
 *   WAPC_EXPORT("wapc_init") void wapc_init(void) { wapc_register("greet", greet); }
 *
 * The header defines the exported `__guest_call`: it fetches the operation and payload from the host,
 * runs the registered handler and returns what the handler returns (1 success, 0 failure).
 * A handler answers with wapc_respond*() or fails with wapc_error*(); both return the value the
 * handler should return.
 */
#ifndef WAPC_GUEST_H
#define WAPC_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WAPC_IMPORT(name) __attribute__((import_module("wapc"), import_name(name)))
#define WAPC_EXPORT(name) __attribute__((export_name(name)))

/* The host functions, named as the waPC specification names them. */
WAPC_IMPORT("__guest_request") void __guest_request(uint8_t *operation, uint8_t *payload);
WAPC_IMPORT("__guest_response") void __guest_response(const uint8_t *data, size_t len);
WAPC_IMPORT("__guest_error") void __guest_error(const uint8_t *text, size_t len);
WAPC_IMPORT("__host_call")
int32_t __host_call(const uint8_t *binding, size_t binding_len, const uint8_t *namespace_,
                    size_t namespace_len, const uint8_t *operation, size_t operation_len,
                    const uint8_t *payload, size_t payload_len);
WAPC_IMPORT("__host_response_len") size_t __host_response_len(void);
WAPC_IMPORT("__host_response") void __host_response(uint8_t *data);
WAPC_IMPORT("__host_error_len") size_t __host_error_len(void);
WAPC_IMPORT("__host_error") void __host_error(uint8_t *text);
WAPC_IMPORT("__console_log") void __console_log(const uint8_t *text, size_t len);

/*
 * An operation handler. The payload is followed by a NUL byte (not counted in payload_len), so a
 * handler may treat it as a C string when the payload holds no NUL itself.
 */
typedef int (*wapc_function)(const uint8_t *payload, size_t payload_len);

#ifndef WAPC_MAX_FUNCTIONS
#define WAPC_MAX_FUNCTIONS 32
#endif

typedef struct {
    const char *operation;
    wapc_function function;
} wapc_registration;

static wapc_registration wapc_registry[WAPC_MAX_FUNCTIONS];
static size_t wapc_registry_size;

/* Registering more than WAPC_MAX_FUNCTIONS operations is a build mistake: it traps. */
static inline void wapc_register(const char *operation, wapc_function function) {
    if (wapc_registry_size == WAPC_MAX_FUNCTIONS) {
        __builtin_trap();
    }
    wapc_registry[wapc_registry_size].operation = operation;
    wapc_registry[wapc_registry_size].function = function;
    wapc_registry_size++;
}

static inline int wapc_respond(const void *data, size_t len) {
    __guest_response((const uint8_t *)data, len);
    return 1;
}

static inline int wapc_respond_text(const char *text) { return wapc_respond(text, strlen(text)); }

static inline int wapc_error_bytes(const void *text, size_t len) {
    __guest_error((const uint8_t *)text, len);
    return 0;
}

static inline int wapc_error(const char *text) { return wapc_error_bytes(text, strlen(text)); }

static inline void wapc_log(const char *text) {
    __console_log((const uint8_t *)text, strlen(text));
}

/*
 * What a host call gave back: on success (ok = 1) the host's response, otherwise its error text.
 * data is NUL-terminated (not counted in len); release it with wapc_host_reply_free. When the guest
 * cannot allocate the buffer, ok is 0 and data is NULL.
 */
typedef struct {
    int ok;
    uint8_t *data;
    size_t len;
} wapc_host_reply;

static inline wapc_host_reply wapc_host_call(const char *binding, const char *namespace_,
                                             const char *operation, const void *payload,
                                             size_t payload_len) {
    wapc_host_reply reply = {0, NULL, 0};
    int32_t ok = __host_call((const uint8_t *)binding, strlen(binding),
                             (const uint8_t *)namespace_, strlen(namespace_),
                             (const uint8_t *)operation, strlen(operation),
                             (const uint8_t *)payload, payload_len);
    size_t len = ok ? __host_response_len() : __host_error_len();
    uint8_t *data = malloc(len + 1);
    if (data == NULL) {
        return reply;
    }
    if (ok) {
        __host_response(data);
    } else {
        __host_error(data);
    }
    data[len] = 0;
    reply.ok = ok != 0;
    reply.data = data;
    reply.len = len;
    return reply;
}

static inline void wapc_host_reply_free(wapc_host_reply *reply) {
    free(reply->data);
    reply->data = NULL;
    reply->len = 0;
}

static inline char *wapc_put(char *end, const void *bytes, size_t len) {
    memcpy(end, bytes, len);
    return end + len;
}

/* Names the operation the module lacks and the ones it has, so the caller can fix the template. */
static int wapc_unknown_operation(const uint8_t *operation, size_t operation_len) {
    static const char prefix[] = "unknown operation \"";
    static const char middle[] = "\"; this module offers: ";
    size_t len = sizeof prefix - 1 + operation_len + sizeof middle - 1;
    for (size_t i = 0; i < wapc_registry_size; i++) {
        len += strlen(wapc_registry[i].operation) + 2;
    }
    char *text = malloc(len + 1);
    if (text == NULL) {
        return wapc_error("unknown operation");
    }
    char *end = text;
    end = wapc_put(end, prefix, sizeof prefix - 1);
    end = wapc_put(end, operation, operation_len);
    end = wapc_put(end, middle, sizeof middle - 1);
    for (size_t i = 0; i < wapc_registry_size; i++) {
        size_t name_len = strlen(wapc_registry[i].operation);
        if (i > 0) {
            end = wapc_put(end, ", ", 2);
        }
        end = wapc_put(end, wapc_registry[i].operation, name_len);
    }
    if (wapc_registry_size == 0) {
        end = wapc_put(end, "(none)", 6);
    }
    wapc_error_bytes(text, (size_t)(end - text));
    free(text);
    return 0;
}

WAPC_EXPORT("__guest_call") int32_t __guest_call(int32_t operation_len, int32_t payload_len) {
    uint8_t *operation = malloc((size_t)operation_len + 1);
    uint8_t *payload = malloc((size_t)payload_len + 1);
    if (operation == NULL || payload == NULL) {
        free(operation);
        free(payload);
        return wapc_error("the guest could not allocate memory for the request");
    }
    __guest_request(operation, payload);
    operation[operation_len] = 0;
    payload[payload_len] = 0;

    wapc_function function = NULL;
    for (size_t i = 0; i < wapc_registry_size && function == NULL; i++) {
        const char *name = wapc_registry[i].operation;
        if (strlen(name) == (size_t)operation_len && memcmp(name, operation, operation_len) == 0) {
            function = wapc_registry[i].function;
        }
    }
    int result = function != NULL ? function(payload, (size_t)payload_len)
                                  : wapc_unknown_operation(operation, (size_t)operation_len);
    free(operation);
    free(payload);
    return result;
}

#endif
