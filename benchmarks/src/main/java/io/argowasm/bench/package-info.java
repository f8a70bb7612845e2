/**
 * The benchmarks: JMH measurements of the executor, an HTTP load generator against a sidecar JVM,
 * cold starts and the compute kernels, and the harness that writes {@code docs/performance.md}. Run
 * by {@code benchmarks/run.sh}, never by a test. It may depend on every module, JMH and JFreeChart;
 * nothing depends on it.
 */
package io.argowasm.bench;
