/*
 * The compute kernels as a waPC guest: operations "sha256", "nbody" and "matmul" run the kernel
 * and answer {"parameters":{"checksum":"<decimal>"}}. The payload is ignored.
 */
#include "kernels.c"
#include "wapc_guest.h"

static int respond_checksum(uint64_t checksum) {
    char digits[21];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + checksum % 10);
        checksum /= 10;
    } while (checksum != 0);
    char response[64] = "{\"parameters\":{\"checksum\":\"";
    size_t len = strlen(response);
    while (n > 0) {
        response[len++] = digits[--n];
    }
    memcpy(response + len, "\"}}", 4);
    return wapc_respond_text(response);
}

static int run_sha256(const uint8_t *payload, size_t len) {
    (void)payload;
    (void)len;
    return respond_checksum(kernel_sha256());
}

static int run_nbody(const uint8_t *payload, size_t len) {
    (void)payload;
    (void)len;
    return respond_checksum(kernel_nbody());
}

static int run_matmul(const uint8_t *payload, size_t len) {
    (void)payload;
    (void)len;
    return respond_checksum(kernel_matmul());
}

WAPC_EXPORT("wapc_init") void wapc_init(void) {
    wapc_register("sha256", run_sha256);
    wapc_register("nbody", run_nbody);
    wapc_register("matmul", run_matmul);
}
