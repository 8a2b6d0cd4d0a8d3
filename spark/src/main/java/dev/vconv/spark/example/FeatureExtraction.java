package dev.vconv.spark.example;

import dev.vconv.spark.NetworkDefinition;
import dev.vconv.spark.VconvInference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runnable example: images from Parquet, through a vconv network on Spark, features to Parquet.
 *
 * <pre>
 * FeatureExtraction [--input PARQUET] [--dir DIR] [--images N] [--size S] [--network cnn] [--batch B]
 *                   [--master local[2]] [--partitions P] [--seed SEED]
 * </pre>
 * Without {@code --input} it reads {@code DIR/images-N-SxS-seedSEED.parquet}, generating it first (N seeded images
 * in Spark's image schema, {@link SyntheticImages}) when it is not there. Features go to {@code DIR/features.parquet}.
 * It prints a line per Spark stage and the images per second of the inference job.
 */
public final class FeatureExtraction {
    private FeatureExtraction() {
    }

    public static void main(String[] args) {
        Map<String, String> a = Examples.arguments(args, Map.of(
                "input", "", "dir", "spark-data", "images", "10000", "size", "224", "network", "mobilenetv2", "batch", "8",
                "master", "local[2]", "partitions", "16", "seed", "42"));
        int images = Examples.positive(a, "images");
        int size = Examples.positive(a, "size");
        int batch = Examples.positive(a, "batch");
        int partitions = Examples.positive(a, "partitions");
        long seed = Long.parseLong(a.get("seed"));
        Path dir = Path.of(a.get("dir"));
        NetworkDefinition network = Examples.network(a.get("network"), seed, size);
        System.out.printf(Locale.ROOT, "vconv on Spark: %s, %.1f MFLOP per image, on %s, batches of %d%n", network,
                network.flopsPerImage() / 1e6, a.get("master"), batch);

        long t0 = System.nanoTime();
        SparkSession spark = Examples.session(a.get("master"), partitions);
        spark.sparkContext().addSparkListener(new StageProgress(System.out));
        System.out.println("[setup] Spark " + spark.version() + " session on " + a.get("master") + " started in "
                + Examples.seconds(System.nanoTime() - t0));
        try {
            String input = a.get("input");
            if (input.isEmpty()) {
                input = Examples.generatedImages(spark, dir, images, size, seed, partitions).toString();
            }
            String output = dir.resolve("features.parquet").toString();
            spark.sparkContext().setCallSite("count images");
            Dataset<Row> rows = spark.read().parquet(input);
            long count = rows.count();
            System.out.printf(Locale.ROOT, "[infer] %s (%d images, %d partitions) -> %s -> %s%n", input, count,
                    rows.rdd().getNumPartitions(), network.name(), output);
            try (VconvInference inference = VconvInference.builder(network).batchSize(batch).idColumn("id").build(spark)) {
                spark.sparkContext().setCallSite("vconv inference");
                long t = System.nanoTime();
                inference.transform(rows).write().mode(SaveMode.Overwrite).parquet(output);
                long nanos = System.nanoTime() - t;
                double perSecond = count / (nanos / 1e9);
                System.out.printf(Locale.ROOT, "[infer] %d images in %s: %.1f images/s (%.1f GFLOP/s of convolutions)%n", count,
                        Examples.seconds(nanos), perSecond, perSecond * network.flopsPerImage() / 1e9);
            }
            spark.sparkContext().setCallSite("check features");
            Dataset<Row> features = spark.read().parquet(output);
            List<Row> first = features.orderBy("id").limit(1).collectAsList();
            List<Float> vector = first.getFirst().getList(first.getFirst().fieldIndex("features"));
            System.out.printf(Locale.ROOT, "[check] %s: %d rows, %d features each; id %d starts %s%n", output, features.count(),
                    vector.size(), first.getFirst().getLong(first.getFirst().fieldIndex("id")), vector.subList(0, Math.min(4, vector.size())));
        } finally {
            spark.stop();
        }
    }
}
