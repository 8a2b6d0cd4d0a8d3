package dev.vconv.spark;

import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The distributed result against the single-JVM one, bit for bit and row for row, on a {@code local[2]} session,
 * over partitionings and batch sizes that leave uneven batches and a last batch of one image.
 */
class SparkInferenceTest {
    static final int C = 3;
    static final int H = 29;
    static final int W = 23;
    static final int IMAGES = 37;
    static final SequentialCnn NETWORK = SequentialCnn.featureExtractor(11, C, H, W);
    static final StructType FLOAT_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType, true)
            .add("image", DataTypes.createArrayType(DataTypes.FloatType, true), true);

    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = LocalSpark.shared();
    }

    /** Image {@code id}'s floats, seeded by its id. */
    static float[] image(long id) {
        return image(id, Shape.of(C, H, W));
    }

    static float[] image(long id, Shape shape) {
        return Tensor.random(1000 + id, shape.dims()).data();
    }

    static Row floatRow(long id) {
        return floatRow(id, Shape.of(C, H, W));
    }

    static Row floatRow(long id, Shape shape) {
        float[] pixels = image(id, shape);
        Float[] boxed = new Float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            boxed[i] = pixels[i];
        }
        return RowFactory.create(id, "image-" + id, boxed);
    }

    /** {@code rows} as a data set of exactly {@code partitions} partitions, in order (parallelize's even slices). */
    static Dataset<Row> dataset(List<Row> rows, StructType schema, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> df = spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
        assertEquals(partitions, df.rdd().getNumPartitions());
        return df;
    }

    /** The single-JVM result: the network over images 0..n-1 in batches of {@code batchSize}, a plain loop. */
    static float[][] singleJvm(NetworkDefinition network, int n, int batchSize, java.util.function.LongFunction<float[]> images) {
        ImageNetwork net = network.build(PlanCache.engine(Runtime.getRuntime().availableProcessors()));
        Shape image = network.imageShape();
        int size = image.size();
        float[][] result = new float[n][];
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            float[] batch = new float[count * size];
            for (int i = 0; i < count; i++) {
                System.arraycopy(images.apply(start + i), 0, batch, i * size, size);
            }
            float[] out = new float[count * net.outputSize()];
            net.forward(Tensor.of(batch, count, image.dim(0), image.dim(1), image.dim(2)), out);
            for (int i = 0; i < count; i++) {
                result[start + i] = java.util.Arrays.copyOfRange(out, i * net.outputSize(), (i + 1) * net.outputSize());
            }
        }
        return result;
    }

    /** Every id 0..n-1 exactly once, each row's features equal to {@code expected}'s bit for bit, names kept. */
    static void assertSameRows(float[][] expected, List<Row> rows) {
        assertEquals(expected.length, rows.size(), "rows out");
        Map<Long, Row> byId = new HashMap<>();
        for (Row row : rows) {
            long id = row.getLong(row.fieldIndex("id"));
            if (byId.put(id, row) != null) {
                fail("row id=" + id + " appears twice");
            }
        }
        for (int id = 0; id < expected.length; id++) {
            Row row = byId.get((long) id);
            if (row == null) {
                fail("row id=" + id + " is missing");
            }
            if (row.schema().getFieldIndex("name").isDefined()) {
                assertEquals("image-" + id, row.getString(row.fieldIndex("name")), "the kept column of id=" + id);
            }
            List<Float> features = row.getList(row.fieldIndex("features"));
            assertEquals(expected[id].length, features.size(), "features of id=" + id);
            for (int i = 0; i < features.size(); i++) {
                int want = Float.floatToRawIntBits(expected[id][i]);
                int got = Float.floatToRawIntBits(features.get(i));
                if (want != got) {
                    fail("id=" + id + " feature " + i + ": single JVM " + expected[id][i] + ", Spark " + features.get(i));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} partitions, batch {1}")
    @CsvSource({
            "1, 4",      // 37 = 9 x 4 + 1: the last batch is one image
            "2, 4",      // 18 and 19 rows: last batches of 2 and 3
            "7, 4",      // 5, 5, 5, 5, 5, 5, 7 rows: last batches of 1 and 3
            "7, 8",      // every partition is one uneven batch
            "2, 1"})
    void sameBitsAsOneJvmInAnyPartitioning(int partitions, int batchSize) {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < IMAGES; id++) {
            rows.add(floatRow(id));
        }
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(batchSize).idColumn("id").build(spark)) {
            Dataset<Row> out = inference.transform(dataset(rows, FLOAT_SCHEMA, partitions));
            assertEquals(List.of("id", "name", "features"), List.of(out.schema().fieldNames()));
            assertSameRows(singleJvm(NETWORK, IMAGES, batchSize, SparkInferenceTest::image), out.collectAsList());
        }
    }

    @Test
    void eachJvmPlansTheNetworkOncePerBroadcast() {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < IMAGES; id++) {
            rows.add(floatRow(id));
        }
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(4).build(spark)) {
            int before = PlanCache.builds();
            Dataset<Row> out = inference.transform(dataset(rows, FLOAT_SCHEMA, 7));
            assertEquals(IMAGES, out.collectAsList().size());
            assertEquals(IMAGES, out.collectAsList().size());   // a second job on the same broadcast
            assertEquals(1, PlanCache.builds() - before, "networks built for 2 jobs x 7 partitions on two task threads");
            assertEquals(java.util.Set.of(1), PlanCache.threadCounts(inference.broadcast().id()), "spark.task.cpus is 1");
        }
    }

    @Test
    void mobileNetV2FeaturesAreTheSingleJvmBits() {
        NetworkGraph mobilenet = NetworkGraphTest.MOBILENET;
        Shape shape = mobilenet.imageShape();
        int n = 11;
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            rows.add(floatRow(id, shape));
        }
        try (VconvInference inference = VconvInference.builder(mobilenet).batchSize(4).build(spark)) {
            Dataset<Row> out = inference.transform(dataset(rows, FLOAT_SCHEMA, 3));   // 3, 4 and 4 rows
            assertSameRows(singleJvm(mobilenet, n, 4, id -> image(id, shape)), out.collectAsList());
        }
    }
}
