# Build the jar first: mvn -B package -pl plugin-server -am
FROM eclipse-temurin:17-jre

COPY plugin-server/target/wasm-executor-plugin.jar /opt/wasm-executor-plugin/wasm-executor-plugin.jar

# Class-data sharing: a training run (the sidecar serves one step to itself, then exits) records the
# classes that start-up and a first step load into an archive, which shortens the sidecar's start-up
# (docs/performance.md). An archive fits only the JVM build and the jar path that recorded it, so it
# is recorded here, in the image, rather than copied from the build.
RUN java -XX:ArchiveClassesAtExit=/opt/wasm-executor-plugin/wasm-executor-plugin.jsa \
        -Xlog:cds=off -Xlog:cds+dynamic=off \
        -jar /opt/wasm-executor-plugin/wasm-executor-plugin.jar \
        serve --no-auth --host 127.0.0.1 --port 0 --exit-after-warmup

# The same non-root user as the sidecar's securityContext in argo-plugin.yaml.
USER 65532:65532
EXPOSE 7490

# -XX:SharedArchiveFile uses the archive; a JVM that cannot (another JVM build) warns and starts
# without it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/wasm-executor-plugin/wasm-executor-plugin.jsa", \
            "-jar", "/opt/wasm-executor-plugin/wasm-executor-plugin.jar"]
CMD ["serve", "--port", "7490"]
