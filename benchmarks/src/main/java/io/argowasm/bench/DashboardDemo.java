package io.argowasm.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the Grafana dashboard in {@code docs/observability/} from real data, where Grafana itself
 * is not at hand: starts a sidecar from the plugin's jar and Debian's {@code prometheus} scraping
 * it every 2 s, sends it succeeding, failing, trapping, timing-out and memory-hungry steps of
 * several modules for a few minutes (the steps of the guest that logs store their output as an
 * artifact in a local directory), then asks Prometheus' HTTP API for each panel's own PromQL
 * ({@code $__rate_interval} read as 30 s) and draws the panels into one PNG.
 *
 * <p>{@code benchmarks/dashboard.sh [minutes]} builds what it needs and runs this.
 */
public final class DashboardDemo {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RATE_WINDOW = "30s";
    private static final int PANEL_WIDTH = 760;
    private static final int PANEL_HEIGHT = 330;
    private static final Color[] SERIES = {
        new Color(0x1f77b4),
        new Color(0xff7f0e),
        new Color(0x2ca02c),
        new Color(0xd62728),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x7f7f7f),
        new Color(0xbcbd22),
        new Color(0x17becf)
    };

    private DashboardDemo() {}

    /** Arguments: the repository root, a work directory, the minutes of traffic. */
    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path work = Path.of(args[1]).toAbsolutePath().normalize();
        int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Files.createDirectories(work);
        Path dashboard = repo.resolve("docs/observability/wasm-executor-plugin-dashboard.json");
        Path picture = repo.resolve("docs/observability/wasm-executor-plugin-dashboard.png");
        Path modules = repo.resolve("executor/src/test/resources/wasm");
        Path greet = repo.resolve("examples/modules/greet/greet.wasm");

        int sidecarPort = freePort();
        List<String> sidecarCommand =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        repo.resolve("plugin-server/target/wasm-executor-plugin.jar").toString(),
                        "serve",
                        "--no-auth",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(sidecarPort),
                        "--module-dir",
                        modules.toString(),
                        "--module-dir",
                        greet.getParent().toString(),
                        // Few slots, a small budget and few modules held, so saturation, budget
                        // refusals and recompilations show up in a few minutes.
                        "--max-concurrent",
                        "4",
                        "--memory-budget",
                        "160Mi",
                        "--max-modules",
                        "2",
                        // The guest that logs stores its output as an artifact here.
                        "--artifact-dir",
                        work.resolve("artifacts").toString(),
                        "--log-format",
                        "json",
                        "--log-level",
                        "warn");
        Process sidecar =
                new ProcessBuilder(sidecarCommand)
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("sidecar.log").toFile())
                        .start();
        Process prometheus = null;
        try {
            awaitOk(URI.create("http://127.0.0.1:%d/healthz".formatted(sidecarPort)));
            int prometheusPort = freePort();
            prometheus = startPrometheus(work, prometheusPort, sidecarPort);
            URI api = URI.create("http://127.0.0.1:%d/api/v1/".formatted(prometheusPort));
            awaitOk(api.resolve("status/buildinfo"));

            Instant start = Instant.now();
            drive(sidecarPort, modules, greet, Duration.ofMinutes(minutes));
            Thread.sleep(6_000); // the last scrapes
            Instant end = Instant.now();
            render(JSON.readTree(dashboard.toFile()), api, start, end, picture);
            System.out.printf(
                    "wrote %s from %s to %s (%d min of traffic)%n", picture, start, end, minutes);
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor(30, TimeUnit.SECONDS);
            }
            sidecar.destroy();
            sidecar.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process startPrometheus(Path work, int port, int sidecarPort)
            throws IOException {
        Path config = work.resolve("prometheus.yml");
        Files.writeString(
                config,
                """
                global:
                  scrape_interval: 2s
                scrape_configs:
                  - job_name: wasm-executor-plugin
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """
                        .formatted(sidecarPort));
        Path data = work.resolve("prometheus-data");
        if (Files.exists(data)) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
    }

    /**
     * Four workers send steps for {@code length}; the mix shifts over time so the panels move: more
     * failures in the second third, memory-hungry steps in the last.
     */
    private static void drive(int port, Path modules, Path greet, Duration length)
            throws InterruptedException {
        URI execute = URI.create("http://127.0.0.1:%d/api/v1/template.execute".formatted(port));
        long end = System.nanoTime() + length.toNanos();
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            int worker = w;
            workers.execute(
                    () -> {
                        Random random = new Random(worker);
                        while (!stop.get() && System.nanoTime() < end) {
                            double phase =
                                    1.0 - (end - System.nanoTime()) / (double) length.toNanos();
                            String body =
                                    step(sent.incrementAndGet(), phase, random, modules, greet);
                            try {
                                callUntilDone(execute, body);
                                Thread.sleep(random.nextInt(40, 400));
                            } catch (IOException e) {
                                System.err.println("request failed: " + e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    });
        }
        workers.shutdown();
        if (!workers.awaitTermination(length.toSeconds() + 120, TimeUnit.SECONDS)) {
            stop.set(true);
            workers.shutdownNow();
        }
        System.out.printf("sent %d steps%n", sent.get());
    }

    /** Asks again while the step answers Running or Pending, as Argo's agent does. */
    private static void callUntilDone(URI execute, String body)
            throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(execute)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .timeout(Duration.ofSeconds(40))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            String phase =
                    response.statusCode() == 200
                            ? JSON.readTree(response.body()).at("/node/phase").asString("")
                            : "";
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                return;
            }
            Thread.sleep(1_000);
        }
    }

    private static String step(int n, double phase, Random random, Path modules, Path greet) {
        double failing = phase > 0.33 && phase < 0.66 ? 0.3 : 0.08;
        double hungry = phase >= 0.66 ? 0.25 : 0.02;
        double r = random.nextDouble();
        String module;
        String operation;
        String limits = "{}";
        String logs = "log";
        if (r < failing) {
            module = modules.resolve("conformance.wasm").toString();
            operation = random.nextBoolean() ? "fail" : "trap";
        } else if (r < failing + 0.04) {
            module = modules.resolve("conformance.wasm").toString();
            operation = "loop";
            limits = "{\"timeout\":\"1s\"}";
        } else if (r < failing + 0.04 + hungry) {
            module = modules.resolve("conformance.wasm").toString();
            operation = "grow";
            limits = "{\"memory\":\"96Mi\"}";
        } else {
            int pick = random.nextInt(3);
            module =
                    pick == 0
                            ? greet.toString()
                            : modules.resolve(pick == 1 ? "chatty.wasm" : "echo.wasm").toString();
            operation = pick == 0 ? "greet" : "run";
            logs = pick == 1 ? "artifact" : "log";
        }
        return """
        {"workflow":{"metadata":{"name":"demo-%d","namespace":"demo","uid":"uid-%d"}},
         "template":{"name":"step","inputs":{"parameters":[{"name":"text","value":"hi"}]},
          "outputs":{},"metadata":{},
          "plugin":{"wasm":{"module":{"file":"%s"},"operation":"%s","limits":%s,
                            "logs":"%s"}}}}
        """
                .formatted(n, n, module, operation, limits, logs);
    }

    /** Every panel of the dashboard, its targets queried over [start, end], in a grid. */
    private static void render(
            JsonNode dashboard, URI api, Instant start, Instant end, Path picture)
            throws IOException, InterruptedException {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        int columns = 2;
        int rows = (panels.size() + columns - 1) / columns;
        int header = 56;
        BufferedImage image =
                new BufferedImage(
                        columns * PANEL_WIDTH,
                        header + rows * PANEL_HEIGHT,
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(dashboard.path("title").asString(), 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(
                ("Not a Grafana screenshot: each panel's PromQL from"
                     + " docs/observability/wasm-executor-plugin-dashboard.json, asked of"
                     + " Prometheus scraping a sidecar, %s to %s UTC")
                        .formatted(
                                start.atOffset(ZoneOffset.UTC).toLocalTime().withNano(0),
                                end.atOffset(ZoneOffset.UTC).toLocalTime().withNano(0)),
                12,
                44);
        for (int i = 0; i < panels.size(); i++) {
            JFreeChart chart = panel(panels.get(i), api, start, end);
            chart.draw(
                    g,
                    new java.awt.geom.Rectangle2D.Double(
                            (i % columns) * PANEL_WIDTH,
                            header + (i / columns) * PANEL_HEIGHT,
                            PANEL_WIDTH,
                            PANEL_HEIGHT));
        }
        g.dispose();
        Files.createDirectories(picture.getParent());
        ImageIO.write(image, "png", picture.toFile());
    }

    private static JFreeChart panel(JsonNode panel, URI api, Instant start, Instant end)
            throws IOException, InterruptedException {
        TimeSeriesCollection data = new TimeSeriesCollection();
        for (JsonNode target : panel.path("targets")) {
            String expr = target.path("expr").asString().replace("$__rate_interval", RATE_WINDOW);
            JsonNode result = queryRange(api, expr, start, end);
            for (JsonNode series : result) {
                TimeSeries line =
                        new TimeSeries(
                                legend(
                                        target.path("legendFormat").asString(),
                                        series.path("metric")));
                for (JsonNode point : series.path("values")) {
                    double value = Double.parseDouble(point.get(1).asString());
                    if (Double.isFinite(value)) {
                        line.addOrUpdate(
                                new FixedMillisecond((long) (point.get(0).asDouble() * 1000)),
                                value);
                    }
                }
                data.addSeries(line);
            }
        }
        String unit = panel.at("/fieldConfig/defaults/unit").asString("");
        NumberAxis values = new NumberAxis(axisLabel(unit));
        values.setAutoRangeIncludesZero(true);
        DateAxis time = new DateAxis(null);
        time.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            lines.setSeriesPaint(s, SERIES[s % SERIES.length]);
            lines.setSeriesStroke(s, new BasicStroke(1.6f));
        }
        XYPlot plot = new XYPlot(data, time, values, lines);
        plot.setBackgroundPaint(new Color(0xfafafa));
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart =
                new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        chart.setTitle(
                new TextTitle(
                        panel.path("title").asString(), new Font(Font.SANS_SERIF, Font.BOLD, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String axisLabel(String unit) {
        return switch (unit) {
            case "s" -> "seconds";
            case "ops" -> "per second";
            case "bytes" -> "bytes";
            case "Bps" -> "bytes per second";
            default -> "";
        };
    }

    private static JsonNode queryRange(URI api, String expr, Instant start, Instant end)
            throws IOException, InterruptedException {
        String query =
                "query_range?query=%s&start=%d&end=%d&step=5"
                        .formatted(
                                URLEncoder.encode(expr, StandardCharsets.UTF_8),
                                start.getEpochSecond(),
                                end.getEpochSecond());
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(api.resolve(query)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(response.body());
        if (!"success".equals(reply.path("status").asString())) {
            throw new IOException("Prometheus refused %s: %s".formatted(expr, response.body()));
        }
        return reply.at("/data/result");
    }

    private static final Pattern LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** Grafana's {@code legendFormat}: {@code {{label}}} replaced by the series' label value. */
    private static String legend(String format, JsonNode metric) {
        Matcher m = LABEL.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    out, Matcher.quoteReplacement(metric.path(m.group(1)).asString("")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void awaitOk(URI uri) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(uri).GET().build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(uri + " did not answer 200 within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
