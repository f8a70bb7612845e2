package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The port of {@code serve} and of the manifest agree, and it is not the one plugins copy. */
class ServePortTest {

    /** Argo's hello plugin's port, which plugins started from it keep. */
    private static final int HELLO_PLUGIN_PORT = 4355;

    @Test
    void theManifestListensWhereServeListensByDefaultAndNotOnTheHelloPluginsPort()
            throws Exception {
        JsonNode container =
                YAMLMapper.builder()
                        .build()
                        .readTree(Files.readString(Path.of("../argo-plugin.yaml")))
                        .at("/spec/sidecar/container");
        int serveDefault =
                Integer.parseInt(
                        Main.commandLine()
                                .getSubcommands()
                                .get("serve")
                                .getCommandSpec()
                                .findOption("--port")
                                .defaultValue());
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asString()));

        assertThat(serveDefault).isNotEqualTo(HELLO_PLUGIN_PORT);
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(serveDefault);
        assertThat(args.get(args.indexOf("--port") + 1)).isEqualTo(String.valueOf(serveDefault));
        assertThat(container.at("/readinessProbe/httpGet/port").asInt()).isEqualTo(serveDefault);
        assertThat(container.at("/livenessProbe/httpGet/port").asInt()).isEqualTo(serveDefault);
    }
}
