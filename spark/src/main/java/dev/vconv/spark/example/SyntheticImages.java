package dev.vconv.spark.example;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.SplittableRandom;

/**
 * Seeded stand-ins for a photo collection, in Spark's image schema (what {@code spark.read.format("image")}
 * gives): 8-bit BGR pixels, each image a colour gradient with noise, a function of the seed and its id only.
 */
public final class SyntheticImages {
    /** Spark's image schema (that of {@code org.apache.spark.ml.image.ImageSchema}). */
    public static final StructType IMAGE = new StructType()
            .add("origin", DataTypes.StringType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("nChannels", DataTypes.IntegerType, true)
            .add("mode", DataTypes.IntegerType, true)
            .add("data", DataTypes.BinaryType, true);
    /** The generated rows: an id, then the image. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("image", IMAGE, true);
    /** OpenCV's mode for 8-bit, 3 channels. */
    private static final int CV_8UC3 = 16;

    private SyntheticImages() {
    }

    /**
     * Image {@code id}'s pixels: {@code height} rows of {@code width} BGR triples. Each channel is a linear ramp
     * whose start and slopes come from the seeded generator, plus noise of +-16.
     */
    public static byte[] bgr(long seed, long id, int height, int width) {
        SplittableRandom random = new SplittableRandom(seed ^ (id * 0x9E3779B97F4A7C15L));
        byte[] data = new byte[height * width * 3];
        for (int c = 0; c < 3; c++) {
            double base = random.nextDouble(256);
            double dy = random.nextDouble(-1, 1) * 255 / height;
            double dx = random.nextDouble(-1, 1) * 255 / width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = base + dy * y + dx * x + random.nextInt(-16, 17);
                    int folded = Math.floorMod((int) v, 512);          // reflect into 0..255
                    data[(y * width + x) * 3 + c] = (byte) (folded < 256 ? folded : 511 - folded);
                }
            }
        }
        return data;
    }

    /** {@code count} images of {@code height x width} with ids {@code 0..count-1}, in {@code partitions} partitions. */
    public static Dataset<Row> generate(SparkSession spark, long seed, long count, int height, int width, int partitions) {
        MapFunction<Long, Row> image = id -> RowFactory.create(id, RowFactory.create(
                "generated:seed=" + seed + "/id=" + id, height, width, 3, CV_8UC3, bgr(seed, id, height, width)));
        return spark.range(0, count, 1, partitions).map(image, Encoders.row(SCHEMA));
    }
}
