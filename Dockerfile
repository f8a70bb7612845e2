# Build the jar first: mvn -B package -pl plugin-server -am
FROM eclipse-temurin:17-jre

COPY plugin-server/target/wasm-executor-plugin.jar /opt/wasm-executor-plugin/wasm-executor-plugin.jar

# The same non-root user as the sidecar's securityContext in argo-plugin.yaml.
USER 65532:65532
EXPOSE 4355

ENTRYPOINT ["java", "-jar", "/opt/wasm-executor-plugin/wasm-executor-plugin.jar"]
CMD ["serve", "--port", "4355"]
