package io.argowasm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The examples in manifests/monitoring/ use metrics the plugin serves, in rules Prometheus takes.
 */
class MonitoringManifestsTest {

    private static final Path MONITORING = Path.of("../manifests/monitoring");
    private static final Pattern METRIC = Pattern.compile("wasm_executor_[a-z_]+");

    @TempDir Path dir;

    private static Set<String> servedNames() throws Exception {
        PluginMetrics metrics = new PluginMetrics("test", "test");
        metrics.gauge("wasm_executor_steps_in_flight", "test", () -> 0);
        metrics.gauge("wasm_executor_max_concurrent", "test", () -> 1);
        metrics.gauge("wasm_executor_modules_loaded", "test", () -> 0);
        metrics.memoryBudget(() -> 1, () -> 0, () -> 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8)).names();
    }

    @Test
    void everyMetricTheRulesUseIsServed() throws Exception {
        String rules = Files.readString(MONITORING.resolve("prometheusrule.yaml"));
        Set<String> used = new TreeSet<>();
        Matcher m = METRIC.matcher(rules);
        while (m.find()) {
            used.add(m.group());
        }

        assertThat(used).isNotEmpty();
        assertThat(servedNames()).containsAll(used);
    }

    @Test
    void theRulesPassPromtool() throws Exception {
        Optional<Path> promtool =
                Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .map(d -> Path.of(d, "promtool"))
                        .filter(Files::isExecutable)
                        .findFirst();
        Assumptions.assumeTrue(
                promtool.isPresent(),
                "SKIPPED: no promtool on PATH; install prometheus (as .ci/run does) to check the"
                        + " rules");
        YAMLMapper yaml = YAMLMapper.builder().build();
        JsonNode rule = yaml.readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
        Path groups = dir.resolve("rules.yaml");
        Files.writeString(groups, yaml.writeValueAsString(rule.get("spec")));

        Process check =
                new ProcessBuilder(promtool.get().toString(), "check", "rules", groups.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 4 rules found");
    }

    private static final Path DASHBOARD =
            Path.of("../docs/observability/wasm-executor-plugin-dashboard.json");

    /** Every PromQL expression of the Grafana dashboard, with Grafana's rate window filled in. */
    private static List<String> dashboardQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel :
                JsonMapper.builder().build().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString().replace("$__rate_interval", "1m"));
            }
        }
        return queries;
    }

    @Test
    void everyMetricTheDashboardQueriesIsServed() throws Exception {
        Set<String> used = new TreeSet<>();
        for (String query : dashboardQueries()) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                used.add(m.group());
            }
        }

        assertThat(used)
                .contains(
                        "wasm_executor_steps_total",
                        "wasm_executor_step_duration_seconds_bucket",
                        "wasm_executor_stage_duration_seconds_bucket",
                        "wasm_executor_steps_in_flight",
                        "wasm_executor_memory_budget_refusals_total",
                        "wasm_executor_module_compile_duration_seconds_bucket",
                        "wasm_executor_module_cache_requests_total");
        assertThat(servedNames()).containsAll(used);
    }

    @Test
    void theDashboardsQueriesAreValidPromQl() throws Exception {
        Optional<Path> promtool =
                Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .map(d -> Path.of(d, "promtool"))
                        .filter(Files::isExecutable)
                        .findFirst();
        Assumptions.assumeTrue(
                promtool.isPresent(),
                "SKIPPED: no promtool on PATH; install prometheus (as .ci/run does) to check the"
                        + " dashboard's queries");
        // promtool parses rule expressions; each query becomes a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> queries = dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            rules.append(
                    "      - record: dashboard:query_%d\n        expr: '%s'\n"
                            .formatted(i, queries.get(i).replace("'", "''")));
        }
        Path file = Files.writeString(dir.resolve("dashboard-rules.yaml"), rules);

        Process check =
                new ProcessBuilder(promtool.get().toString(), "check", "rules", file.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: %d rules found".formatted(queries.size()));
    }

    @Test
    void thePodMonitorScrapesTheNamedPortOfAgentPods() throws Exception {
        JsonNode monitor =
                YAMLMapper.builder()
                        .build()
                        .readTree(MONITORING.resolve("podmonitor.yaml").toFile());
        JsonNode plugin =
                YAMLMapper.builder().build().readTree(Path.of("../argo-plugin.yaml").toFile());

        assertThat(
                        monitor.at("/spec/selector/matchLabels/workflows.argoproj.io~1component")
                                .asString())
                .isEqualTo("agent");
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/port").asString())
                .isEqualTo(plugin.at("/spec/sidecar/container/ports/0/name").asString());
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asString()).isEqualTo("/metrics");
    }

    @Test
    void theServiceMonitorScrapesEveryAgentReplicaThroughItsService() throws Exception {
        YAMLMapper yaml = YAMLMapper.builder().build();
        JsonNode monitor = yaml.readTree(MONITORING.resolve("servicemonitor.yaml").toFile());
        Path agent = Path.of("../manifests/agent");
        JsonNode service = yaml.readTree(agent.resolve("service.yaml").toFile());
        JsonNode deployment = yaml.readTree(agent.resolve("deployment.yaml").toFile());
        JsonNode kustomization = yaml.readTree(agent.resolve("kustomization.yaml").toFile());

        assertThat(monitor.at("/spec/selector/matchLabels"))
                .isEqualTo(service.at("/metadata/labels"));
        assertThat(service.at("/spec/selector"))
                .isEqualTo(deployment.at("/spec/template/metadata/labels"));
        assertThat(monitor.at("/spec/endpoints/0/port").asString())
                .isEqualTo(service.at("/spec/ports/0/name").asString());
        assertThat(service.at("/spec/ports/0/targetPort").asString())
                .isEqualTo(
                        deployment.at("/spec/template/spec/containers/0/ports/0/name").asString());
        assertThat(monitor.at("/spec/endpoints/0/path").asString()).isEqualTo("/metrics");
        assertThat(kustomization.at("/resources").toString()).contains("service.yaml");
    }
}
