package dev.vconv.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.vconv.spark.SparkInferenceTest.C;
import static dev.vconv.spark.SparkInferenceTest.H;
import static dev.vconv.spark.SparkInferenceTest.NETWORK;
import static dev.vconv.spark.SparkInferenceTest.W;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows in Spark's image schema (8-bit BGR, as {@code spark.read.format("image")} gives them). */
class SparkImageTest {
    /** Spark's image schema (that of {@code org.apache.spark.ml.image.ImageSchema}), with an id column in front. */
    static final StructType IMAGE = new StructType()
            .add("origin", DataTypes.StringType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("nChannels", DataTypes.IntegerType, true)
            .add("mode", DataTypes.IntegerType, true)
            .add("data", DataTypes.BinaryType, true);
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("image", IMAGE, true);

    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = LocalSpark.shared();
        SparkInferenceTest.spark = spark;
    }

    static Row imageStruct(String origin, int height, int width, int channels, byte[] data) {
        int mode = switch (channels) {
            case 1 -> 0;
            case 3 -> 16;
            case 4 -> 24;
            default -> throw new IllegalArgumentException("channels " + channels);
        };
        return RowFactory.create(origin, height, width, channels, mode, data);
    }

    /** Image {@code id}'s bytes: height rows of width BGR pixels, seeded by the id. */
    static byte[] pixels(long id) {
        byte[] data = new byte[H * W * C];
        new SplittableRandom(id).nextBytes(data);
        return data;
    }

    /**
     * What the network should see for image {@code id}, decoded here the plain way: pixel (y, x) of RGB channel c is
     * byte {@code (y * W + x) * 3 + (2 - c)}, normalised as {@code (v / 255 - mean) / std}.
     */
    static float[] decoded(long id, float[] mean, float[] std) {
        byte[] data = pixels(id);
        float[] image = new float[C * H * W];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int v = data[(y * W + x) * C + (2 - c)] & 0xff;
                    image[(c * H + y) * W + x] = (v / 255f - mean[c]) / std[c];
                }
            }
        }
        return image;
    }

    @Test
    void imageStructsGiveTheBitsOfTheirDecodedFloats() {
        List<Row> rows = new ArrayList<>();
        int n = 13;
        for (long id = 0; id < n; id++) {
            rows.add(RowFactory.create(id, imageStruct("mem:" + id, H, W, C, pixels(id))));
        }
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(4).build(spark)) {
            Dataset<Row> out = inference.transform(SparkInferenceTest.dataset(rows, SCHEMA, 3));
            SparkInferenceTest.assertSameRows(SparkInferenceTest.singleJvm(NETWORK, n, 4,
                    id -> decoded(id, VconvInference.IMAGENET_MEAN, VconvInference.IMAGENET_STD)), out.collectAsList());
        }
        float[] mean = {0.5f, 0.25f, 0f};
        float[] std = {0.5f, 2f, 1f};
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(8).normalization(mean, std).build(spark)) {
            Dataset<Row> out = inference.transform(SparkInferenceTest.dataset(rows, SCHEMA, 2));
            SparkInferenceTest.assertSameRows(SparkInferenceTest.singleJvm(NETWORK, n, 8, id -> decoded(id, mean, std)),
                    out.collectAsList());
            assertEquals(List.of("id", "features"), List.of(out.schema().fieldNames()));
        }
    }
}
