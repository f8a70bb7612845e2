# Build the jar first: mvn -B package -pl plugin-server -am
# The jar is built for Java 17 and runs on it; the image runs JDK 25 for its AOT cache.
FROM eclipse-temurin:25-jre

COPY plugin-server/target/wasm-executor-plugin.jar /opt/wasm-executor-plugin/wasm-executor-plugin.jar

# Ahead-of-time cache (JEP 483, 514, 515): a training run (the sidecar serves the bundled greet
# example and a module fetched over loopback to itself, then exits) records the classes start-up
# and a first step load, already loaded and linked, and the method profiles of that run, so a
# new sidecar starts and serves its first step sooner (docs/performance.md, section 6). A cache
# fits only the JVM build and the jar path that recorded it, so it is recorded here, in the image,
# rather than copied from the build.
RUN java -XX:AOTCacheOutput=/opt/wasm-executor-plugin/wasm-executor-plugin.aot -Xlog:aot=off \
        -jar /opt/wasm-executor-plugin/wasm-executor-plugin.jar \
        serve --no-auth --allow-http --allow-private-module-hosts --host 127.0.0.1 --port 0 \
        --exit-after-warmup

# The same non-root user as the sidecar's securityContext in argo-plugin.yaml.
USER 65532:65532
EXPOSE 7490

# -XX:AOTCache uses the cache; a JVM that cannot (another JVM build, or options that change the
# object layout) starts without it. -XX:TrimNativeHeapInterval gives the native memory the JIT's
# compilations freed back to the node every 2 s: without it glibc keeps it, and a sidecar idles at
# 107 MiB, or at 135 MiB after a large compilation, instead of 101 MiB (docs/performance.md,
# section 6). Options for JDK 22 and later belong here rather than in the manifest's
# JAVA_TOOL_OPTIONS, which must also suit a JDK 17 running the same jar.
ENTRYPOINT ["java", "-XX:AOTCache=/opt/wasm-executor-plugin/wasm-executor-plugin.aot", \
            "-XX:TrimNativeHeapInterval=2000", \
            "-jar", "/opt/wasm-executor-plugin/wasm-executor-plugin.jar"]
CMD ["serve", "--port", "7490"]
