package io.argowasm.bench;

import java.util.Arrays;
import java.util.Collection;

/** Measured values of one quantity, with the order statistics the report uses. */
final class Samples {

    private final double[] sorted;

    private Samples(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples were measured");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Samples of(double... values) {
        return new Samples(values);
    }

    static Samples of(Collection<? extends Number> values) {
        return new Samples(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    int count() {
        return sorted.length;
    }

    double median() {
        return percentile(50);
    }

    /** The nearest-rank percentile, e.g. 99 for p99. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    static double geometricMean(double... values) {
        double logSum = 0;
        for (double v : values) {
            logSum += Math.log(v);
        }
        return Math.exp(logSum / values.length);
    }
}
