package io.argowasm.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The plugin's Prometheus metrics, all named {@code wasm_executor_*}. Every label takes its values
 * from a closed set (the enums below), so nothing a workflow supplies becomes a series; names, URLs
 * and digests go to the log instead. Data points are bound once here, so recording on the request
 * path allocates nothing.
 *
 * <p>Each instance has its own registry: tests read a fresh one, the sidecar serves its one on
 * {@code GET /metrics}.
 */
public final class PluginMetrics {

    /** Durations from 1 ms to 10 min, in seconds. */
    static final double[] DURATION_BUCKETS = {
        .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600
    };

    /** Compile times: 7 ms for a small module up to over a second for a large one. */
    static final double[] COMPILE_BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30};

    /** Guest linear memory, 64 KiB to 4 GiB. */
    static final double[] MEMORY_BUCKETS = {
        64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20, 256 << 20, 1 << 30, 4L << 30
    };

    /** What became of one {@code template.execute} request. */
    public enum RequestResult {
        /** A new invocation started for it. */
        EXECUTED,
        /** Not a {@code plugin: wasm} template. */
        NOT_MINE,
        /** It joined an invocation already known (a retry or a requeue). */
        JOINED,
        /** No slot or no waiting call was free: answered to come back later. */
        BUSY,
        /** Missing or wrong bearer token. */
        FORBIDDEN,
        /** A body that is not a request, or over the size cap. */
        BAD_REQUEST,
        /** The sidecar is shutting down: answered 503. */
        SHUTTING_DOWN
    }

    /** The phase a finished invocation reported. */
    public enum Phase {
        SUCCEEDED("Succeeded"),
        FAILED("Failed"),
        /** The step was postponed because other steps held the memory budget. */
        PENDING("Pending");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Why an invocation ended as it did. */
    public enum Reason {
        OK,
        GUEST_ERROR,
        TRAP,
        TIMEOUT,
        MEMORY_LIMIT,
        /** Other steps held the memory budget: postponed, not failed. */
        MEMORY_BUSY,
        MODULE_FETCH,
        MODULE_INVALID,
        ARTIFACT,
        TEMPLATE,
        SHUTDOWN,
        /** Nobody asked for the result any more (the workflow was stopped). */
        ABANDONED,
        /** A failure of the plugin itself. */
        INTERNAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The stages of an invocation that are timed. */
    public enum Stage {
        FETCH("module.fetch"),
        COMPILE("module.compile"),
        INSTANTIATE("guest.instantiate"),
        CALL("guest.call"),
        ARTIFACTS_IN("artifacts.get"),
        ARTIFACTS_OUT("artifacts.put");

        private final String spanName;

        Stage(String spanName) {
            this.spanName = spanName;
        }

        /** The name of the stage's trace span. */
        public String spanName() {
            return spanName;
        }
    }

    /** Where module bytes come from. */
    public enum ModuleSource {
        URL,
        FILE,
        BUNDLED,
        OCI
    }

    /** How a guest's HTTP request ended. */
    public enum HttpResult {
        /** Answered, whatever the status. */
        OK,
        /** Not sent: its origin is not allowed, or its address is not public. */
        REFUSED,
        /** No answer within the time cap. */
        TIMEOUT,
        /** The answer passed the size cap. */
        TOO_LARGE,
        /** The connection or request failed. */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<RequestResult, CounterDataPoint> requests =
            new EnumMap<>(RequestResult.class);
    private final CounterDataPoint[][] steps =
            new CounterDataPoint[Phase.values().length][Reason.values().length];
    private final Map<Phase, DistributionDataPoint> stepDurations = new EnumMap<>(Phase.class);
    private final Map<Stage, DistributionDataPoint> stageDurations = new EnumMap<>(Stage.class);
    private final CounterDataPoint[][] fetches =
            new CounterDataPoint[ModuleSource.values().length][2];
    private final CounterDataPoint cacheHits;
    private final CounterDataPoint cacheMisses;
    private final CounterDataPoint compilesOk;
    private final CounterDataPoint compilesFailed;
    private final DistributionDataPoint compileDuration;
    private final DistributionDataPoint guestMemory;
    private final CounterDataPoint artifactBytesIn;
    private final CounterDataPoint artifactBytesOut;
    private final CounterDataPoint guestLinesDropped;
    private final Map<HttpResult, CounterDataPoint> httpRequests = new EnumMap<>(HttpResult.class);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile boolean jvmRegistered;

    /** False for {@link #recordingNothing}: the per-request and per-step methods return at once. */
    private final boolean recording;

    /**
     * @param version the plugin's version, for {@code wasm_executor_build_info}
     * @param runtimeVersion Chicory's version
     */
    public PluginMetrics(String version, String runtimeVersion) {
        this(version, runtimeVersion, true);
    }

    private PluginMetrics(String version, String runtimeVersion, boolean recording) {
        this.recording = recording;
        Counter requestCounter =
                Counter.builder()
                        .name("wasm_executor_requests_total")
                        .help("template.execute requests by what became of them")
                        .labelNames("result")
                        .withoutExemplars()
                        .register(registry);
        for (RequestResult r : RequestResult.values()) {
            requests.put(r, requestCounter.labelValues(r.name().toLowerCase(Locale.ROOT)));
        }
        Counter stepCounter =
                Counter.builder()
                        .name("wasm_executor_steps_total")
                        .help("finished invocations by phase and reason")
                        .labelNames("phase", "reason")
                        .withoutExemplars()
                        .register(registry);
        for (Phase p : Phase.values()) {
            for (Reason r : Reason.values()) {
                steps[p.ordinal()][r.ordinal()] = stepCounter.labelValues(p.label(), r.label());
            }
        }
        Histogram stepHistogram =
                durations("wasm_executor_step_duration_seconds", "phase")
                        .help("invocations from their first request to their result")
                        .register(registry);
        for (Phase p : Phase.values()) {
            stepDurations.put(p, stepHistogram.labelValues(p.label()));
        }
        Histogram stageHistogram =
                durations("wasm_executor_stage_duration_seconds", "stage")
                        .help("the stages of invocations")
                        .register(registry);
        for (Stage s : Stage.values()) {
            stageDurations.put(s, stageHistogram.labelValues(s.name().toLowerCase(Locale.ROOT)));
        }
        Counter fetchCounter =
                Counter.builder()
                        .name("wasm_executor_module_fetches_total")
                        .help("module bytes read, by source and result")
                        .labelNames("source", "result")
                        .withoutExemplars()
                        .register(registry);
        for (ModuleSource s : ModuleSource.values()) {
            String source = s.name().toLowerCase(Locale.ROOT);
            fetches[s.ordinal()][0] = fetchCounter.labelValues(source, "ok");
            fetches[s.ordinal()][1] = fetchCounter.labelValues(source, "error");
        }
        Counter cache =
                Counter.builder()
                        .name("wasm_executor_module_cache_requests_total")
                        .help("module loads served by a compiled module held (hit) or not (miss)")
                        .labelNames("result")
                        .withoutExemplars()
                        .register(registry);
        cacheHits = cache.labelValues("hit");
        cacheMisses = cache.labelValues("miss");
        Counter compiles =
                Counter.builder()
                        .name("wasm_executor_module_compiles_total")
                        .help("module compilations by result")
                        .labelNames("result")
                        .withoutExemplars()
                        .register(registry);
        compilesOk = compiles.labelValues("ok");
        compilesFailed = compiles.labelValues("error");
        compileDuration =
                Histogram.builder()
                        .name("wasm_executor_module_compile_duration_seconds")
                        .help("parsing, validating and compiling a module")
                        .unit(Unit.SECONDS)
                        .classicOnly()
                        .classicUpperBounds(COMPILE_BUCKETS)
                        .withoutExemplars()
                        .register(registry)
                        .labelValues();
        guestMemory =
                Histogram.builder()
                        .name("wasm_executor_guest_memory_bytes")
                        .help("a guest's linear memory at the end of its call")
                        .unit(Unit.BYTES)
                        .classicOnly()
                        .classicUpperBounds(MEMORY_BUCKETS)
                        .withoutExemplars()
                        .register(registry)
                        .labelValues();
        Counter artifactBytes =
                Counter.builder()
                        .name("wasm_executor_artifact_bytes_total")
                        .help("artifact bytes staged for guests (in) and uploaded from them (out)")
                        .labelNames("direction")
                        .withoutExemplars()
                        .register(registry);
        artifactBytesIn = artifactBytes.labelValues("in");
        artifactBytesOut = artifactBytes.labelValues("out");
        guestLinesDropped =
                Counter.builder()
                        .name("wasm_executor_guest_output_dropped_lines_total")
                        .help("guest output lines not logged: over the output budget of a step")
                        .withoutExemplars()
                        .register(registry)
                        .labelValues();
        Counter httpCounter =
                Counter.builder()
                        .name("wasm_executor_http_requests_total")
                        .help("HTTP requests guests made through the http capability, by result")
                        .labelNames("result")
                        .withoutExemplars()
                        .register(registry);
        for (HttpResult r : HttpResult.values()) {
            httpRequests.put(r, httpCounter.labelValues(r.label()));
        }
        Info.builder()
                .name("wasm_executor_build_info")
                .help("the plugin's version, its WebAssembly runtime and Java")
                .labelNames("version", "runtime", "runtime_version", "java_version")
                .register(registry)
                .setLabelValues(
                        version, "chicory", runtimeVersion, System.getProperty("java.version"));
    }

    private static Histogram.Builder durations(String name, String label) {
        return Histogram.builder()
                .name(name)
                .unit(Unit.SECONDS)
                .labelNames(label)
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars();
    }

    /** Metrics nobody reads, for tools that run steps without a sidecar. */
    public static PluginMetrics unregistered() {
        return new PluginMetrics("dev", "unknown");
    }

    /**
     * Metrics that count and time nothing (gauges, build info and JVM metrics are still served):
     * {@code serve --no-metrics}, to measure what recording costs.
     */
    public static PluginMetrics recordingNothing(String version, String runtimeVersion) {
        return new PluginMetrics(version, runtimeVersion, false);
    }

    public void request(RequestResult result) {
        if (!recording) {
            return;
        }
        requests.get(result).inc();
    }

    /** How many requests had this result since start-up. */
    public long requests(RequestResult result) {
        return (long) requests.get(result).get();
    }

    public void stepFinished(Phase phase, Reason reason, long nanos) {
        if (!recording) {
            return;
        }
        steps[phase.ordinal()][reason.ordinal()].inc();
        stepDurations.get(phase).observe(nanos / 1e9);
    }

    public void stage(Stage stage, long nanos) {
        if (!recording) {
            return;
        }
        stageDurations.get(stage).observe(nanos / 1e9);
    }

    public void moduleFetched(ModuleSource source, boolean ok) {
        if (!recording) {
            return;
        }
        fetches[source.ordinal()][ok ? 0 : 1].inc();
    }

    public void moduleCache(boolean hit) {
        if (!recording) {
            return;
        }
        (hit ? cacheHits : cacheMisses).inc();
    }

    public void compiled(boolean ok, long nanos) {
        if (!recording) {
            return;
        }
        (ok ? compilesOk : compilesFailed).inc();
        if (ok) {
            compileDuration.observe(nanos / 1e9);
            stage(Stage.COMPILE, nanos);
        }
    }

    public void guestMemory(long bytes) {
        if (!recording) {
            return;
        }
        guestMemory.observe(bytes);
    }

    public void artifactBytes(boolean in, long bytes) {
        if (!recording) {
            return;
        }
        (in ? artifactBytesIn : artifactBytesOut).inc(bytes);
    }

    public void httpRequest(HttpResult result) {
        httpRequests.get(result).inc();
    }

    public void guestLinesDropped(long lines) {
        if (recording && lines > 0) {
            guestLinesDropped.inc(lines);
        }
    }

    /** Registers a gauge read at scrape time, such as the slots in use. */
    public void gauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }

    /** Registers the memory budget's gauges and its refusal counter, read at scrape time. */
    public void memoryBudget(LongSupplier capacity, LongSupplier used, LongSupplier refusals) {
        GaugeWithCallback.builder()
                .name("wasm_executor_memory_budget_bytes")
                .unit(Unit.BYTES)
                .help("the heap budget for steps: its capacity and what is charged now")
                .labelNames("state")
                .callback(
                        cb -> {
                            cb.call(capacity.getAsLong(), "capacity");
                            cb.call(used.getAsLong(), "used");
                        })
                .register(registry);
        CounterWithCallback.builder()
                .name("wasm_executor_memory_budget_refusals_total")
                .help("charges the memory budget refused: a step postponed or failed for memory")
                .callback(cb -> cb.call(refusals.getAsLong()))
                .register(registry);
    }

    /** The registry, for tests that read single values. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The content type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * Writes every metric in Prometheus' text format. The JVM's and the process's metrics are
     * registered on the first scrape, so a sidecar that is never scraped does not pay for them.
     */
    public void write(OutputStream out) throws IOException {
        if (!jvmRegistered) {
            synchronized (this) {
                if (!jvmRegistered) {
                    JvmMetrics.builder().register(registry);
                    jvmRegistered = true;
                }
            }
        }
        writer.write(out, registry.scrape());
    }
}
