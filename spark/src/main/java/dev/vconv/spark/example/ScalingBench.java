package dev.vconv.spark.example;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Engines;
import dev.vconv.core.Tensor;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.spark.ImageNetwork;
import dev.vconv.spark.NetworkDefinition;
import dev.vconv.spark.VconvInference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurements of {@code docs/PERFORMANCE.md} ("vconv on Spark"), all in one JVM:
 * in each of {@code --rounds} rounds,
 * <ol>
 *   <li><b>plain JVM</b>: the network alone on one thread, batches of {@code --batch} images already decoded to
 *       floats, the same first {@code --plain} images of the data set: seconds per image (the first round after 10 s of
 *       warm-up);</li>
 *   <li><b>Spark</b>: a {@code local[1]} session then a {@code local[2]} one, each
 *       running the whole job on the Parquet data set ({@code --images} images, read, decoded, through the network
 *       in batches of {@code --batch}, written to Spark's {@code noop} sink) after one warm-up job; and on
 *       {@code local[1]} the same from rows cached in memory (no Parquet reading or decompression). Images per
 *       second of each job.</li>
 * </ol>
 * It prints each figure as it goes and a summary: the medians over the rounds of each figure, of
 * {@code local[2] / local[1]} and of Spark's {@code local[1]} time per image over the plain JVM's of the same round
 * (the overhead); pairing each round's figures keeps the machine's slow drift out of the ratios.
 */
public final class ScalingBench {
    private ScalingBench() {
    }

    public static void main(String[] args) {
        Map<String, String> a = Examples.arguments(args, Map.of(
                "dir", "spark-data", "images", "2000", "size", "224", "network", "mobilenetv2", "batch", "8", "partitions", "16",
                "seed", "42", "rounds", "5", "plain", "256"));
        int images = Examples.positive(a, "images");
        int size = Examples.positive(a, "size");
        int batch = Examples.positive(a, "batch");
        int partitions = Examples.positive(a, "partitions");
        int rounds = Examples.positive(a, "rounds");
        int plainImages = Examples.positive(a, "plain") / batch * batch;
        long seed = Long.parseLong(a.get("seed"));
        NetworkDefinition network = Examples.network(a.get("network"), seed, size);
        System.out.printf(Locale.ROOT, "vconv Spark scaling: %s, %.1f MFLOP per image, batch %d, %d images, %d partitions; %s%n",
                network, network.flopsPerImage() / 1e6, batch, images, partitions, String.join(" ", Examples.sorted(a)));

        Path data;
        SparkSession setup = Examples.session("local[2]", partitions);
        try {
            data = Examples.generatedImages(setup, Path.of(a.get("dir")), images, size, seed, partitions);
        } finally {
            setup.stop();
        }

        Plain baseline = new Plain(network, seed, size, batch, plainImages);
        List<Double> plain = new ArrayList<>();
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        List<Double> cached = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        List<Double> overheadCached = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double plainSeconds = baseline.secondsPerImage();
            plain.add(plainSeconds);
            for (String master : List.of("local[1]", "local[2]")) {
                SparkSession spark = Examples.session(master, partitions);
                try (VconvInference inference = VconvInference.builder(network).batchSize(batch).build(spark)) {
                    Dataset<Row> rows = spark.read().parquet(data.toString());
                    run(inference, rows.where("id < " + 32L * batch), master + " warm-up");
                    double rate = run(inference, rows, master + " round " + round + ", from Parquet");
                    if (master.equals("local[1]")) {
                        one.add(rate);
                        overhead.add(1 / rate / plainSeconds - 1);
                        Dataset<Row> memory = rows.persist(StorageLevel.MEMORY_ONLY());
                        memory.count();
                        double fromMemory = run(inference, memory, master + " round " + round + ", from cached rows");
                        cached.add(fromMemory);
                        overheadCached.add(1 / fromMemory / plainSeconds - 1);
                        memory.unpersist(true);
                    } else {
                        two.add(rate);
                        speedup.add(rate / one.getLast());
                    }
                } finally {
                    spark.stop();
                }
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "plain JVM, 1 thread:     %.2f ms/image, %.1f images/s (rounds %s)%n", median(plain) * 1e3,
                1 / median(plain), format(plain, 1e3, "ms"));
        System.out.printf(Locale.ROOT, "Spark local[1], Parquet: %.2f ms/image, %.1f images/s (rounds %s)%n", 1e3 / median(one),
                median(one), format(one, 1, "/s"));
        System.out.printf(Locale.ROOT, "Spark local[1], cached:  %.2f ms/image, %.1f images/s (rounds %s)%n", 1e3 / median(cached),
                median(cached), format(cached, 1, "/s"));
        System.out.printf(Locale.ROOT, "Spark local[2], Parquet: %.2f ms/image, %.1f images/s (rounds %s)%n", 1e3 / median(two),
                median(two), format(two, 1, "/s"));
        System.out.printf(Locale.ROOT, "local[2] / local[1] (per round, median): %.2fx (rounds %s)%n", median(speedup),
                format(speedup, 1, "x"));
        System.out.printf(Locale.ROOT, "Spark local[1] time per image over the plain JVM's of the same round, median: %+.1f %% from Parquet "
                + "(rounds %s), %+.1f %% from cached rows (rounds %s)%n", median(overhead) * 100, format(overhead, 100, "%"),
                median(overheadCached) * 100, format(overheadCached, 100, "%"));
    }

    /** One job over {@code rows} to the noop sink; images per second. */
    private static double run(VconvInference inference, Dataset<Row> rows, String label) {
        SparkSession spark = rows.sparkSession();
        long count = rows.count();
        spark.sparkContext().setCallSite(label);
        long start = System.nanoTime();
        inference.transform(rows).write().format("noop").mode("overwrite").save();
        long nanos = System.nanoTime() - start;
        double rate = count / (nanos / 1e9);
        System.out.printf(Locale.ROOT, "[%s] %d images in %s: %.1f images/s%n", label, count, Examples.seconds(nanos), rate);
        return rate;
    }

    /**
     * The network alone: images {@code 0..count-1} decoded as Spark decodes them (BGR bytes to RGB planes, ImageNet's
     * normalisation), in batches of {@code batch} on one thread. The first measurement comes after 10 s of warm-up.
     */
    static final class Plain {
        private final ImageNetwork net;
        private final float[][] batches;
        private final int batch;
        private final int size;
        private final float[] out;
        private boolean warm;

        Plain(NetworkDefinition network, long seed, int size, int batch, int count) {
            Conv2d best = Engines.best();
            this.net = network.build(best instanceof SimdConv2d simd ? simd.withThreads(1) : best);
            this.batch = batch;
            this.size = size;
            int imageSize = 3 * size * size;
            this.batches = new float[count / batch][batch * imageSize];
            for (int id = 0; id < count; id++) {
                decode(SyntheticImages.bgr(seed, id, size, size), size, batches[id / batch], id % batch * imageSize);
            }
            this.out = new float[batch * net.outputSize()];
        }

        /** The median of 5 passes over the images, in seconds per image. */
        double secondsPerImage() {
            if (!warm) {
                long until = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < until) {
                    pass();
                }
                warm = true;
            }
            double[] passes = new double[5];
            for (int i = 0; i < passes.length; i++) {
                long start = System.nanoTime();
                pass();
                passes[i] = (System.nanoTime() - start) / 1e9 / (batches.length * batch);
            }
            Arrays.sort(passes);
            System.out.printf(Locale.ROOT, "[plain JVM] %d images x 5 passes, batch %d, 1 thread: median %.3f ms/image (passes %s ms)%n",
                    batches.length * batch, batch, passes[2] * 1e3,
                    Arrays.toString(Arrays.stream(passes).map(s -> Math.round(s * 1e6) / 1e3).toArray()));
            return passes[2];
        }

        private void pass() {
            for (float[] images : batches) {
                net.forward(Tensor.of(images, batch, 3, size, size), out);
            }
        }
    }

    /** What {@code ImageInput} does to Spark's 8-bit BGR images with ImageNet's mean and std, written plainly. */
    private static void decode(byte[] bgr, int size, float[] dst, int offset) {
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            float mean = VconvInference.IMAGENET_MEAN[c];
            float std = VconvInference.IMAGENET_STD[c];
            for (int p = 0; p < plane; p++) {
                dst[offset + c * plane + p] = ((bgr[p * 3 + 2 - c] & 0xff) / 255f - mean) / std;
            }
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(List<Double> values, double scale, String unit) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v * scale)).toList() + " " + unit;
    }
}
