package dev.vconv.spark.example;

import dev.vconv.core.net.Models;
import dev.vconv.spark.NetworkDefinition;
import dev.vconv.spark.NetworkGraph;
import dev.vconv.spark.SequentialCnn;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** What the example and the scaling measurement share: their Spark session, networks and arguments. */
final class Examples {
    private Examples() {
    }

    /**
     * A session on {@code master} bound to the loopback interface, without the UI. The files of a Parquet data set
     * are read as at least {@code minPartitions} partitions of about equal size, whatever the number of cores, so
     * that {@code local[1]} and {@code local[2]} run the same tasks. Parquet is read 256 rows at a time instead of
     * Spark's 4096: a batch of 4096 images of 224x224 would hold 600 MB of pixels per task.
     */
    static SparkSession session(String master, int minPartitions) {
        return SparkSession.builder()
                .master(master)
                .appName("vconv-spark-example")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.files.minPartitionNum", String.valueOf(minPartitions))
                .config("spark.sql.parquet.columnarReaderBatchSize", "256")
                .getOrCreate();
    }

    /**
     * The networks the example can run, by name: {@code mobilenetv2} (torchvision's MobileNetV2 with seeded weights,
     * its 1280 pooled features), {@code resnet50} (ResNet-50's 2048 pooled features) or {@code cnn} (the small
     * {@link SequentialCnn#featureExtractor}, 128 features).
     */
    static NetworkDefinition network(String name, long seed, int size) {
        return switch (name) {
            case "mobilenetv2" -> NetworkGraph.mobileNetV2Features(seed, size);
            case "resnet50" -> NetworkGraph.features(Models.resnet50(seed), "flatten", size, size);
            case "cnn" -> SequentialCnn.featureExtractor(seed, 3, size, size);
            default -> throw new IllegalArgumentException("--network must be mobilenetv2, resnet50 or cnn, but got '" + name + "'");
        };
    }

    /** {@code --name value} pairs; every name must be one of {@code allowed}. */
    static Map<String, String> arguments(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !defaults.containsKey(name.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + name + "': the arguments are --"
                        + String.join(", --", defaults.keySet().stream().sorted().toList()));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name.substring(2), args[++i]);
        }
        return values;
    }

    static int positive(Map<String, String> args, String name) {
        int value;
        try {
            value = Integer.parseInt(args.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, but got '" + args.get(name) + "'");
        }
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, but got " + value);
        }
        return value;
    }

    /**
     * {@code DIR/images-N-SxS-seedSEED.parquet}: {@code images} seeded images of {@code size x size} in Spark's image
     * schema, generated into {@code partitions} files when the data set is not there yet (or was not finished).
     */
    static Path generatedImages(SparkSession spark, Path dir, int images, int size, long seed, int partitions) {
        Path path = dir.resolve("images-" + images + "-" + size + "x" + size + "-seed" + seed + ".parquet");
        if (Files.exists(path.resolve("_SUCCESS"))) {
            System.out.println("[data] reusing " + path);
            return path;
        }
        System.out.printf(Locale.ROOT, "[data] generating %d seeded %dx%d images into %s%n", images, size, size, path);
        long start = System.nanoTime();
        spark.sparkContext().setCallSite("generate images");
        SyntheticImages.generate(spark, seed, images, size, size, partitions).write().mode(SaveMode.Overwrite)
                .option("parquet.block.size", 16 << 20)      // row groups of ~100 images, so that splits stay even
                .parquet(path.toString());
        System.out.printf(Locale.ROOT, "[data] wrote %d images (%.0f MB) in %s%n", images, bytes(path) / 1e6,
                seconds(System.nanoTime() - start));
        return path;
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static List<String> sorted(Map<String, String> args) {
        return args.keySet().stream().sorted().map(k -> "--" + k + " " + args.get(k)).toList();
    }
}
