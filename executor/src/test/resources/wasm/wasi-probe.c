// wasi-probe: a WASI command (no SDK, wasi-libc only) whose first argument picks what it does.
// Every answer is JSON on stdout ({"parameters":{...}}) unless the mode writes /work/result.json.
//
//   stdio            echo the payload read from stdin, the arguments and $GREETING
//   exit N           print two lines to stderr and exit with code N
//   read PATH...     try to open and read each path; answer "ok:<first bytes>" or "err:<errno text>"
//   write PATH...    try to create and write each path; answer "ok" or "err:<errno text>"
//   ls DIR           list a directory's entries, sorted as the host gives them
//   fill MIB PATH    write MIB mebibytes to PATH, then answer (whatever the writes returned)
//   files [IN OUT]   the earlier plugin's contract: read /work/input.json, copy
//                    /work/artifacts-in/IN to /work/artifacts-out/OUT, write /work/result.json
//   files-failed     write a result.json with phase Failed
//   http URL         GET URL through wasi_experimental_http; answer status, body and error code
//   spin             loop forever (the step's timeout must stop it)
//   sleep MS         nanosleep (poll_oneoff on a clock) for MS milliseconds, then answer "slept"
//   alloc MIB        allocate and touch MIB mebibytes; answer "ok" or "err:out of memory"
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char out[1 << 20];
static size_t used;

static void put(const char *s) {
    size_t n = strlen(s);
    if (used + n < sizeof out) {
        memcpy(out + used, s, n);
        used += n;
    }
}

// A JSON string of the first n bytes of s.
static void put_json(const char *s, size_t n) {
    char esc[8];
    put("\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            esc[2] = 0;
            put(esc);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(esc);
        } else {
            esc[0] = (char)c;
            esc[1] = 0;
            put(esc);
        }
    }
    put("\"");
}

static void param(int first, const char *name, const char *value, size_t n) {
    if (!first) {
        put(",");
    }
    put_json(name, strlen(name));
    put(":");
    put_json(value, n);
}

static char *read_all(FILE *f, size_t *size) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    *size = n;
    return buf;
}

static void finish(void) {
    fwrite(out, 1, used, stdout);
    fflush(stdout);
}

static int mode_stdio(int argc, char **argv) {
    size_t n;
    char *payload = read_all(stdin, &n);
    char args[512] = "";
    for (int i = 0; i < argc; i++) {
        strncat(args, argv[i], sizeof args - strlen(args) - 2);
        if (i + 1 < argc) {
            strcat(args, " ");
        }
    }
    const char *greeting = getenv("GREETING");
    put("{\"message\":\"read the payload\",\"parameters\":{");
    param(1, "payload", payload, n);
    param(0, "args", args, strlen(args));
    param(0, "greeting", greeting ? greeting : "(unset)", strlen(greeting ? greeting : "(unset)"));
    put("}}");
    finish();
    return 0;
}

static int mode_read(int argc, char **argv) {
    put("{\"parameters\":{");
    for (int i = 2; i < argc; i++) {
        char value[160];
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            snprintf(value, sizeof value, "err:%s", strerror(errno));
        } else {
            char head[64] = {0};
            size_t r = fread(head, 1, sizeof head - 1, f);
            head[r] = 0;
            for (size_t k = 0; k < r; k++) {
                if (head[k] == '\n') {
                    head[k] = 0;
                    break;
                }
            }
            snprintf(value, sizeof value, "ok:%s", head);
            fclose(f);
        }
        param(i == 2, argv[i], value, strlen(value));
    }
    put("}}");
    finish();
    return 0;
}

static int mode_write(int argc, char **argv) {
    put("{\"parameters\":{");
    for (int i = 2; i < argc; i++) {
        char value[160] = "ok";
        FILE *f = fopen(argv[i], "w");
        if (f == NULL) {
            snprintf(value, sizeof value, "err:%s", strerror(errno));
        } else {
            if (fputs("written", f) < 0 || fclose(f) != 0) {
                snprintf(value, sizeof value, "err:%s", strerror(errno));
            }
        }
        param(i == 2, argv[i], value, strlen(value));
    }
    put("}}");
    finish();
    return 0;
}

static int mode_ls(const char *path) {
    DIR *dir = opendir(path);
    char names[4096] = "";
    if (dir == NULL) {
        snprintf(names, sizeof names, "err:%s", strerror(errno));
    } else {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            if (names[0]) {
                strncat(names, ",", sizeof names - strlen(names) - 1);
            }
            strncat(names, e->d_name, sizeof names - strlen(names) - 1);
        }
        closedir(dir);
    }
    put("{\"parameters\":{");
    param(1, "entries", names, strlen(names));
    put("}}");
    finish();
    return 0;
}

static int mode_fill(const char *mib, const char *path) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    FILE *f = fopen(path, "w");
    char value[160] = "ok";
    if (f == NULL) {
        snprintf(value, sizeof value, "err:%s", strerror(errno));
    } else {
        for (int i = 0; i < atoi(mib); i++) {
            if (fwrite(block, 1, sizeof block, f) != sizeof block) {
                snprintf(value, sizeof value, "err:%s", strerror(errno));
                break;
            }
        }
        fclose(f);
    }
    put("{\"parameters\":{");
    param(1, "fill", value, strlen(value));
    put("}}");
    finish();
    return 0;
}

static int write_result(const char *json) {
    FILE *f = fopen("/work/result.json", "w");
    if (f == NULL) {
        fprintf(stderr, "cannot write /work/result.json: %s\n", strerror(errno));
        return 1;
    }
    fputs(json, f);
    fclose(f);
    return 0;
}

static int mode_files(int argc, char **argv) {
    FILE *in = fopen("/work/input.json", "r");
    if (in == NULL) {
        fprintf(stderr, "cannot read /work/input.json: %s\n", strerror(errno));
        return 1;
    }
    size_t n;
    char *input = read_all(in, &n);
    fclose(in);
    if (argc >= 4) {
        char from[512], to[512];
        snprintf(from, sizeof from, "/work/artifacts-in/%s", argv[2]);
        snprintf(to, sizeof to, "/work/artifacts-out/%s", argv[3]);
        FILE *src = fopen(from, "r");
        FILE *dst = fopen(to, "w");
        if (src == NULL || dst == NULL) {
            fprintf(stderr, "cannot copy %s to %s: %s\n", from, to, strerror(errno));
            return 1;
        }
        size_t size;
        char *bytes = read_all(src, &size);
        fwrite(bytes, 1, size, dst);
        fclose(src);
        fclose(dst);
    }
    printf("a line on stdout, which the file contract logs\n");
    put("{\"phase\":\"Succeeded\",\"message\":\"Done\",\"outputs\":{\"artifacts\":[");
    if (argc >= 4) {
        put("{\"name\":\"out\",\"path\":\"/");
        put(argv[3]);
        put("\"}");
    }
    put("],\"parameters\":[{\"name\":\"input\",\"value\":");
    put_json(input, n);
    put("},{\"name\":\"count\",\"value\":42}]}}");
    out[used] = 0;
    return write_result(out);
}

__attribute__((import_module("wasi_experimental_http"), import_name("req"))) uint32_t
http_req(const char *url, size_t url_len, const char *method, size_t method_len,
         const char *headers, size_t headers_len, const char *body, size_t body_len,
         uint16_t *status, uint32_t *handle);
__attribute__((import_module("wasi_experimental_http"), import_name("body_read"))) uint32_t
http_body_read(uint32_t handle, char *buf, size_t buf_len, size_t *read);
__attribute__((import_module("wasi_experimental_http"), import_name("header_get"))) uint32_t
http_header_get(uint32_t handle, const char *name, size_t name_len, char *buf, size_t buf_len,
                size_t *written);
__attribute__((import_module("wasi_experimental_http"), import_name("close"))) uint32_t
http_close(uint32_t handle);

static int mode_http(const char *url) {
    uint16_t status = 0;
    uint32_t handle = 0;
    const char *headers = "accept:text/plain\n";
    uint32_t err = http_req(url, strlen(url), "GET", 3, headers, strlen(headers), "", 0, &status,
                            &handle);
    char code[32], st[16], type[128] = "";
    static char body[1 << 16];
    size_t total = 0;
    if (err == 0) {
        size_t r;
        do {
            if (http_body_read(handle, body + total, sizeof body - 1 - total, &r) != 0) {
                break;
            }
            total += r;
        } while (r > 0 && total < sizeof body - 1);
        size_t w = 0;
        if (http_header_get(handle, "Content-Type", 12, type, sizeof type - 1, &w) == 0) {
            type[w] = 0;
        }
        http_close(handle);
    }
    snprintf(code, sizeof code, "%u", (unsigned)err);
    snprintf(st, sizeof st, "%u", (unsigned)status);
    put("{\"parameters\":{");
    param(1, "error", code, strlen(code));
    param(0, "status", st, strlen(st));
    param(0, "content_type", type, strlen(type));
    param(0, "body", body, total);
    put("}}");
    finish();
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "stdio";
    if (strcmp(mode, "stdio") == 0) {
        return mode_stdio(argc, argv);
    }
    if (strcmp(mode, "exit") == 0 && argc > 2) {
        fprintf(stderr, "first stderr line\n");
        fprintf(stderr, "giving up with code %s\n", argv[2]);
        return atoi(argv[2]);
    }
    if (strcmp(mode, "read") == 0) {
        return mode_read(argc, argv);
    }
    if (strcmp(mode, "write") == 0) {
        return mode_write(argc, argv);
    }
    if (strcmp(mode, "ls") == 0 && argc > 2) {
        return mode_ls(argv[2]);
    }
    if (strcmp(mode, "fill") == 0 && argc > 3) {
        return mode_fill(argv[2], argv[3]);
    }
    if (strcmp(mode, "files") == 0) {
        return mode_files(argc, argv);
    }
    if (strcmp(mode, "files-failed") == 0) {
        return write_result(
            "{\"phase\":\"Failed\",\"message\":\"the module gave up\",\"outputs\":{}}");
    }
    if (strcmp(mode, "http") == 0 && argc > 2) {
        return mode_http(argv[2]);
    }
    if (strcmp(mode, "spin") == 0) {
        volatile unsigned long n = 0;
        for (;;) {
            n++;
        }
    }
    if (strcmp(mode, "sleep") == 0 && argc > 2) {
        long ms = atol(argv[2]);
        struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
        int slept = nanosleep(&t, NULL);
        put("{\"parameters\":{");
        param(1, "slept", slept == 0 ? "slept" : strerror(errno),
              strlen(slept == 0 ? "slept" : strerror(errno)));
        put("}}");
        finish();
        return 0;
    }
    if (strcmp(mode, "alloc") == 0 && argc > 2) {
        const char *value = "ok";
        static char *volatile kept[4096];
        for (int i = 0; i < atoi(argv[2]) && i < 4096; i++) {
            char *block = malloc(1 << 20);
            if (block == NULL) {
                value = "err:out of memory";
                break;
            }
            memset(block, i, 1 << 20);
            kept[i] = block; // kept, so the compiler cannot drop the allocation
        }
        put("{\"parameters\":{");
        param(1, "alloc", value, strlen(value));
        put("}}");
        finish();
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
