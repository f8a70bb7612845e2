package io.argowasm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One kernel call per measurement on Chicory. Each trial appends the last answer to the file named
 * by {@code bench.checksums}, so the report can check every runtime computed the same result.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelBenchmark {

    @Param({"sha256", "nbody", "matmul"})
    public String kernel;

    @Param({"compiler", "interpreter"})
    public String engine;

    private KernelHost host;
    private byte[] last;

    @Setup(Level.Trial)
    public void load() {
        host =
                KernelHost.load(
                        BenchModules.bytes("kernels"),
                        KernelHost.Engine.valueOf(engine.toUpperCase(java.util.Locale.ROOT)));
    }

    @Benchmark
    public byte[] run() {
        last = host.call(kernel);
        return last;
    }

    @TearDown(Level.Trial)
    public void recordChecksum() throws IOException {
        String file = System.getProperty("bench.checksums");
        if (file != null && last != null) {
            Files.writeString(
                    Path.of(file),
                    engine + " " + kernel + " " + new String(last, StandardCharsets.UTF_8) + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
