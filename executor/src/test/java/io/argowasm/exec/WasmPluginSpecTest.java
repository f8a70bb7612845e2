package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.argo.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WasmPluginSpecTest {

    static WasmPluginSpec parse(String json) throws InvalidTemplateException {
        JsonNode node = Json.mapper().readTree(json);
        return WasmPluginSpec.parse(node, ExecutionLimits.DEFAULTS);
    }

    @Test
    void readsEveryField() throws Exception {
        WasmPluginSpec spec =
                parse(
                        "{\"module\":{\"url\":\"https://m.example/greet.wasm\",\"sha256\":\"SHA256:"
                                + "AB".repeat(32)
                                + "\"},\"operation\":\"greet\",\"options\":{\"style\":\"loud\"},"
                                + "\"limits\":{\"timeout\":\"2m\",\"memory\":\"128Mi\"}}");
        assertThat(spec.module().url()).hasToString("https://m.example/greet.wasm");
        assertThat(spec.module().sha256()).isEqualTo("ab".repeat(32));
        assertThat(spec.operation()).isEqualTo("greet");
        assertThat(spec.options().get("style").asString()).isEqualTo("loud");
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.memoryBytes()).isEqualTo(128L << 20);
    }

    @Test
    void fillsDefaults() throws Exception {
        WasmPluginSpec spec = parse("{\"module\":{\"file\":\"/m/echo.wasm\"}}");
        assertThat(spec.operation()).isEqualTo("run");
        assertThat(spec.options().isObject()).isTrue();
        assertThat(spec.timeout()).isEqualTo(ExecutionLimits.DEFAULTS.defaultTimeout());
        assertThat(spec.memoryBytes()).isEqualTo(ExecutionLimits.DEFAULTS.defaultMemoryBytes());
    }

    @Test
    void anUnknownKeyIsNamedAtEveryLevel() {
        assertThatThrownBy(() -> parse("{\"modul\":{}}"))
                .hasMessageContaining("plugin.wasm has an unknown key 'modul'");
        assertThatThrownBy(() -> parse("{\"module\":{\"uri\":\"x\"}}"))
                .hasMessageContaining("plugin.wasm.module has an unknown key 'uri'");
        assertThatThrownBy(() -> parse("{\"module\":{\"file\":\"/x\"},\"limits\":{\"cpu\":\"1\"}}"))
                .hasMessageContaining("plugin.wasm.limits has an unknown key 'cpu'");
    }

    @Test
    void readsAPullSecretForAnOciModuleOnly() throws Exception {
        WasmPluginSpec spec =
                parse(
                        "{\"module\":{\"oci\":\"ghcr.io/team/greet:v1\",\"pullSecret\":\"ghcr-login\"}}");
        assertThat(spec.pullSecret()).isEqualTo("ghcr-login");
        assertThat(parse("{\"module\":{\"oci\":\"ghcr.io/team/greet:v1\"}}").pullSecret()).isNull();
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"url\":\"https://m.example/g.wasm\","
                                                + "\"pullSecret\":\"login\"}}"))
                .hasMessageContaining("plugin.wasm.module.pullSecret applies to module.oci only");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"oci\":\"ghcr.io/team/greet:v1\","
                                                + "\"pullSecret\":\"Team_Login\"}}"))
                .hasMessageContaining("'Team_Login' is not a Secret name");
    }

    @Test
    void readsAnArtifactModuleAsOneSourceAmongTheOthers() throws Exception {
        WasmPluginSpec spec =
                parse(
                        "{\"module\":{\"artifact\":\"module\",\"sha256\":\"%s\"}}"
                                .formatted("ab".repeat(32)));
        assertThat(spec.module().artifact()).isEqualTo("module");
        assertThat(spec.module().sha256()).isEqualTo("ab".repeat(32));
        assertThat(spec.module().describe()).isEqualTo("artifact 'module'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"artifact\":\"module\","
                                                + "\"file\":\"/m/echo.wasm\"}}"))
                .hasMessageContaining("has both file and artifact");
    }

    @Test
    void readsAnOciModuleWithItsPin() throws Exception {
        WasmPluginSpec spec =
                parse(
                        "{\"module\":{\"oci\":\"127.0.0.1:5000/team/greet:v1\",\"sha256\":\"%s\"}}"
                                .formatted("ab".repeat(32)));
        assertThat(spec.module().oci().registry()).isEqualTo("127.0.0.1:5000");
        assertThat(spec.module().oci().repository()).isEqualTo("team/greet");
        assertThat(spec.module().oci().tag()).isEqualTo("v1");
        assertThat(spec.module().sha256()).isEqualTo("ab".repeat(32));
        assertThat(spec.module().describe()).isEqualTo("oci 127.0.0.1:5000/team/greet:v1");
    }

    @Test
    void rejectsBadModulesAndLimitsWithReasons() {
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("plugin.wasm.module is missing");
        assertThatThrownBy(() -> parse("{\"module\":{\"url\":\"ftp://x/m.wasm\"}}"))
                .hasMessageContaining("must be http:// or https://");
        assertThatThrownBy(() -> parse("{\"module\":{\"url\":\"https://x\",\"file\":\"/y\"}}"))
                .hasMessageContaining("both url and file");
        assertThatThrownBy(() -> parse("{\"module\":{\"oci\":\"ghcr.io/t/m\",\"file\":\"/y\"}}"))
                .hasMessageContaining(
                        "both file and oci: give exactly one of url, file, oci and artifact");
        assertThatThrownBy(() -> parse("{\"module\":{\"oci\":\"https://ghcr.io/t/m\"}}"))
                .hasMessageContaining("plugin.wasm.module: module.oci 'https://ghcr.io/t/m'")
                .hasMessageContaining("without a scheme");
        assertThatThrownBy(() -> parse("{\"module\":{\"file\":\"/x\",\"sha256\":\"abc\"}}"))
                .hasMessageContaining("not a sha256 digest");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"file\":\"/x\"},\"limits\":{\"timeout\":\"soon\"}}"))
                .hasMessageContaining("plugin.wasm.limits.timeout");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"file\":\"/x\"},\"limits\":{\"timeout\":\"3h\"}}"))
                .hasMessageContaining("exceeds this plugin's maximum of 1h0m0s");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"module\":{\"file\":\"/x\"},\"limits\":{\"memory\":\"8Gi\"}}"))
                .hasMessageContaining("exceeds this plugin's maximum of 1Gi");
        assertThatThrownBy(() -> parse("{\"module\":{\"file\":\"/x\"},\"operation\":7}"))
                .hasMessageContaining("plugin.wasm.operation must be a string");
        assertThatThrownBy(() -> parse("\"wasm\""))
                .hasMessageContaining("plugin.wasm must be an object");
    }

    static WasmPluginSpec withLimits(String limits) throws InvalidTemplateException {
        return parse("{\"module\":{\"file\":\"/x\"},\"limits\":" + limits + "}");
    }

    @Test
    void anOverlongLimitIsRefusedNamingTheFieldAndTheMaximumLength() {
        assertThatThrownBy(() -> withLimits("{\"timeout\":\"" + "1".repeat(16_000) + "s\"}"))
                .hasMessage(
                        "plugin.wasm.limits.timeout: a duration of 16001 characters is too long;"
                                + " at most 64 are read");
        assertThatThrownBy(() -> withLimits("{\"memory\":\"" + "1".repeat(100_000) + "\"}"))
                .hasMessage(
                        "plugin.wasm.limits.memory: a quantity of 100000 characters is too long;"
                                + " at most 64 are read");
        assertThatThrownBy(() -> withLimits("{\"memory\":" + "1".repeat(1000) + "}"))
                .hasMessageContaining("plugin.wasm.limits.memory: a quantity of 1000 characters");
    }

    @Test
    void aLimitTooLargeToCountIsOverTheMaximumNamingTheFlag() {
        assertThatThrownBy(() -> withLimits("{\"memory\":\"18446744073709617152\"}"))
                .hasMessage(
                        "plugin.wasm.limits.memory '18446744073709617152' exceeds this plugin's"
                                + " maximum of 1Gi; ask for less or raise --max-memory on the"
                                + " sidecar");
        assertThatThrownBy(() -> withLimits("{\"memory\":1e300}"))
                .hasMessageContaining("exceeds this plugin's maximum of 1Gi")
                .hasMessageContaining("--max-memory");
        assertThatThrownBy(() -> withLimits("{\"timeout\":\"9999999999999999999h\"}"))
                .hasMessage(
                        "plugin.wasm.limits.timeout '9999999999999999999h' exceeds this plugin's"
                                + " maximum of 1h0m0s; ask for less or raise --max-timeout on the"
                                + " sidecar");
    }

    @Test
    void aTimeoutBelowTheMinimumIsRefusedNamingTheMinimum() throws Exception {
        for (String tiny : new String[] {"0", "0s", "1ns", "9ms", "9.999ms"}) {
            assertThatThrownBy(() -> withLimits("{\"timeout\":\"" + tiny + "\"}"))
                    .as(tiny)
                    .hasMessageContaining("plugin.wasm.limits.timeout")
                    .hasMessageContaining("is below the minimum of 10ms");
        }
        assertThat(withLimits("{\"timeout\":\"10ms\"}").timeout()).isEqualTo(Duration.ofMillis(10));
    }
}
