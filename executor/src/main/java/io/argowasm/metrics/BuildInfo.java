package io.argowasm.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The plugin's version and its WebAssembly runtime's, as the command line, the start-up line,
 * {@code /healthz} and {@code wasm_executor_build_info} report them.
 */
public final class BuildInfo {

    /** What a build from the source tree, run without the packaged jar, reports. */
    public static final String DEV = "dev";

    private static final String CHICORY_POM =
            "/META-INF/maven/com.dylibso.chicory/runtime/pom.properties";

    private BuildInfo() {}

    /**
     * The {@code Implementation-Version} of the jar's manifest (the Maven {@code revision}), or the
     * same version as the build recorded it beside the classes.
     */
    public static String version() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        // Run from the class path: the copy the build wrote beside the classes.
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return DEV;
            }
            Properties build = new Properties();
            build.load(in);
            return build.getProperty("version", DEV);
        } catch (IOException e) {
            return DEV;
        }
    }

    /** Chicory's version, from its Maven metadata; {@code unknown} when that is missing. */
    public static String runtimeVersion() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(CHICORY_POM)) {
            if (in == null) {
                return "unknown";
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Metrics for this build, with {@code wasm_executor_build_info} filled in. */
    public static PluginMetrics metrics() {
        return new PluginMetrics(version(), runtimeVersion());
    }

    /** Like {@link #metrics()}, recording nothing per request or step. */
    public static PluginMetrics metricsRecordingNothing() {
        return PluginMetrics.recordingNothing(version(), runtimeVersion());
    }
}
