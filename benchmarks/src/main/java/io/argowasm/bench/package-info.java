/**
 * The benchmarks: JMH measurements of the executor, an HTTP load generator against a sidecar JVM,
 * cold starts and the compute kernels, and the harness that writes {@code docs/performance.md}. Run
 * by {@code benchmarks/run.sh}, never by a test.
 */
package io.argowasm.bench;
