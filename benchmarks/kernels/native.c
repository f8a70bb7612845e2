/*
 * The compute kernels as a native program, the baseline for the WebAssembly runtimes.
 *
 *   kernels-native bench KERNEL WARMUP RUNS   runs a kernel WARMUP times unmeasured, then RUNS
 *                                             times, and prints {"kernel":..,"checksum":..,
 *                                             "millis":[..]}
 *   kernels-native step                       one process-per-step invocation: reads the step's
 *                                             JSON payload from stdin, writes it back to stdout
 *                                             (what the echo guest does)
 *   kernels-native spawn COUNT                spawns COUNT `step` processes one after the other,
 *                                             each fed a payload through a pipe, and prints
 *                                             {"micros":[..]} with each one's wall time
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernels.c"

typedef uint64_t (*kernel_function)(void);

typedef struct {
    const char *name;
    kernel_function run;
} kernel;

static const kernel kernels[] = {
    {"sha256", kernel_sha256},
    {"nbody", kernel_nbody},
    {"matmul", kernel_matmul},
};

#define KERNEL_COUNT (sizeof kernels / sizeof kernels[0])

static const kernel *kernel_named(const char *name, size_t len) {
    for (size_t i = 0; i < KERNEL_COUNT; i++) {
        if (strlen(kernels[i].name) == len && memcmp(kernels[i].name, name, len) == 0) {
            return &kernels[i];
        }
    }
    return NULL;
}

extern char **environ;

static double now_micros(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int bench(const char *name, int warmup, int runs) {
    const kernel *k = kernel_named(name, strlen(name));
    if (k == NULL) {
        fprintf(stderr, "unknown kernel %s\n", name);
        return 2;
    }
    uint64_t checksum = 0;
    for (int i = 0; i < warmup; i++) {
        checksum = k->run();
    }
    printf("{\"kernel\":\"%s\",\"millis\":[", name);
    for (int i = 0; i < runs; i++) {
        double start = now_micros();
        checksum = k->run();
        printf("%s%.3f", i ? "," : "", (now_micros() - start) / 1e3);
    }
    printf("],\"checksum\":\"%llu\"}\n", (unsigned long long)checksum);
    return 0;
}

static int step(void) {
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        fwrite(buffer, 1, n, stdout);
    }
    return 0;
}

static const char payload[] =
    "{\"workflow\":{\"name\":\"bench\",\"namespace\":\"default\",\"uid\":\"0\"},\"template\":\"echo\","
    "\"parameters\":{\"text\":\"hello\"},\"options\":{}}";

static int spawn(const char *self, int count) {
    printf("{\"micros\":[");
    for (int i = 0; i < count; i++) {
        double start = now_micros();
        int in[2], out[2];
        if (pipe(in) != 0 || pipe(out) != 0) {
            perror("pipe");
            return 1;
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, in[1]);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        char *argv[] = {(char *)self, "step", NULL};
        pid_t pid;
        if (posix_spawn(&pid, self, &actions, NULL, argv, environ) != 0) {
            perror("posix_spawn");
            return 1;
        }
        posix_spawn_file_actions_destroy(&actions);
        close(in[0]);
        close(out[1]);
        if (write(in[1], payload, sizeof payload - 1) != (ssize_t)(sizeof payload - 1)) {
            perror("write");
            return 1;
        }
        close(in[1]);
        char reply[sizeof payload];
        size_t got = 0;
        ssize_t n;
        while ((n = read(out[0], reply + got, sizeof reply - got)) > 0) {
            got += (size_t)n;
        }
        close(out[0]);
        int status;
        waitpid(pid, &status, 0);
        if (got != sizeof payload - 1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "the step process did not echo its payload\n");
            return 1;
        }
        printf("%s%.1f", i ? "," : "", now_micros() - start);
    }
    printf("]}\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "bench") == 0) {
        return bench(argv[2], atoi(argv[3]), atoi(argv[4]));
    }
    if (argc == 2 && strcmp(argv[1], "step") == 0) {
        return step();
    }
    if (argc == 3 && strcmp(argv[1], "spawn") == 0) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) {
            perror("readlink");
            return 1;
        }
        self[n] = 0;
        return spawn(self, atoi(argv[2]));
    }
    fprintf(stderr, "usage: %s bench KERNEL WARMUP RUNS | step | spawn COUNT\n", argv[0]);
    return 2;
}
