package dev.vconv.bench.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes synthetic JMH result files ({@code -rf json} layout) for the tests of the gate and the reader: no
 * benchmark is run.
 * Scores are drawn around a mean with fork-to-fork and iteration-to-iteration Gaussian noise, from a fixed
 * seed, so every test sees the same numbers.
 */
public final class SyntheticResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode results = JSON.createArrayNode();
    private String jdkVersion = "25.0.1";

    /** Sets the JDK version of results added afterwards. */
    public SyntheticResults jdk(String version) {
        this.jdkVersion = version;
        return this;
    }

    /**
     * Adds one benchmark.
     *
     * @param mean       the true score
     * @param forkNoise  standard deviation of the per-fork mean, relative to {@code mean}
     * @param forks      number of forks, 10 iterations each
     * @param alloc      {@code gc.alloc.rate.norm} in bytes per op, or negative for none
     */
    public SyntheticResults add(String benchmark, String mode, String caseParam, double mean, double forkNoise, int forks, long seed,
                double alloc) {
        SplittableRandom random = new SplittableRandom(seed);
        ObjectNode result = results.addObject();
        result.put("jmhVersion", "1.37");
        result.put("benchmark", benchmark);
        result.put("mode", mode);
        result.put("threads", 1);
        result.put("forks", forks);
        result.put("jvm", "/usr/lib/jvm/temurin-25/bin/java");
        result.putArray("jvmArgs").add("--add-modules").add("jdk.incubator.vector");
        result.put("jdkVersion", jdkVersion);
        result.put("vmName", "OpenJDK 64-Bit Server VM");
        result.put("vmVersion", jdkVersion + "+8-LTS");
        result.put("warmupIterations", 5);
        result.put("measurementIterations", 10);
        result.putObject("params").put("conv", caseParam);
        ObjectNode primary = result.putObject("primaryMetric");
        ArrayNode raw = primary.putArray("rawData");
        double sum = 0;
        int count = 0;
        for (int f = 0; f < forks; f++) {
            double forkMean = mean * (1 + forkNoise * gaussian(random));
            ArrayNode iterations = raw.addArray();
            for (int i = 0; i < 10; i++) {
                double value = forkMean * (1 + 0.002 * gaussian(random));
                iterations.add(value);
                sum += value;
                count++;
            }
        }
        primary.put("score", sum / count);
        primary.put("scoreError", 0.0);
        primary.put("scoreUnit", mode.equals("thrpt") ? "ops/ms" : "us/op");
        ObjectNode secondary = result.putObject("secondaryMetrics");
        if (alloc >= 0) {
            ObjectNode norm = secondary.putObject("gc.alloc.rate.norm");
            norm.put("score", alloc);
            norm.put("scoreError", 0.0);
            norm.put("scoreUnit", "B/op");
        }
        return this;
    }

    /** The last added result, for tests that break it. */
    public ObjectNode last() {
        return (ObjectNode) results.get(results.size() - 1);
    }

    public Path write(Path file) {
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; enough for test noise.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
