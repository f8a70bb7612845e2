package io.argowasm.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples read back from Prometheus' text format, for assertions on a scrape. */
public final class PrometheusText {

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new PrometheusText(samples);
    }

    /**
     * The value of the sample with this name whose labels include the given name/value pairs.
     *
     * @throws AssertionError when no sample matches
     */
    public double value(String name, String... labelPairs) {
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                matches &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
            }
            if (matches) {
                return s.value();
            }
        }
        throw new AssertionError(
                "no sample %s with labels %s".formatted(name, String.join(",", labelPairs)));
    }

    /** The sum of the samples with this name whose labels include the given pairs; 0 when none. */
    public double sum(String name, String... labelPairs) {
        double sum = 0;
        for (Sample s : samples) {
            boolean matches = s.name().equals(name);
            for (int i = 0; i < labelPairs.length; i += 2) {
                matches &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
            }
            if (matches) {
                sum += s.value();
            }
        }
        return sum;
    }

    /** The names of all samples. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
