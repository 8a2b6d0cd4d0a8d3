package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.vconv.spark.SparkInferenceTest.C;
import static dev.vconv.spark.SparkInferenceTest.FLOAT_SCHEMA;
import static dev.vconv.spark.SparkInferenceTest.H;
import static dev.vconv.spark.SparkInferenceTest.IMAGES;
import static dev.vconv.spark.SparkInferenceTest.NETWORK;
import static dev.vconv.spark.SparkInferenceTest.W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retried tasks lose and duplicate nothing; bad rows fail the job with an error that names them. */
class SparkFailureTest {
    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = LocalSpark.shared();
        SparkInferenceTest.spark = spark;
    }

    /** Failures injected so far, and batches seen per task attempt (this JVM runs every task in local mode). */
    static final AtomicInteger INJECTED = new AtomicInteger();
    static final ConcurrentHashMap<Long, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    /**
     * {@code inner}, except that the first attempt of partition {@code partition} fails at its second batch, after
     * the rows of its first batch have gone downstream.
     */
    record FailingOnce(NetworkDefinition inner, int partition) implements NetworkDefinition {
        @Override
        public String name() {
            return inner.name() + "-failing-once";
        }

        @Override
        public Shape imageShape() {
            return inner.imageShape();
        }

        @Override
        public int outputSize() {
            return inner.outputSize();
        }

        @Override
        public long flopsPerImage() {
            return inner.flopsPerImage();
        }

        @Override
        public ImageNetwork build(Conv2d engine) {
            ImageNetwork net = inner.build(engine);
            return new ImageNetwork() {
                @Override
                public Shape imageShape() {
                    return net.imageShape();
                }

                @Override
                public int outputSize() {
                    return net.outputSize();
                }

                @Override
                public void forward(Tensor images, float[] output) {
                    TaskContext task = TaskContext.get();
                    int call = CALLS.computeIfAbsent(task.taskAttemptId(), id -> new AtomicInteger()).incrementAndGet();
                    if (task.partitionId() == partition && task.attemptNumber() == 0 && call == 2) {
                        INJECTED.incrementAndGet();
                        throw new IllegalStateException("injected failure in partition " + partition);
                    }
                    net.forward(images, output);
                }
            };
        }
    }

    @Test
    void aRetriedTaskLosesAndDuplicatesNoRow(@TempDir Path dir) {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < IMAGES; id++) {
            rows.add(SparkInferenceTest.floatRow(id));
        }
        INJECTED.set(0);
        int batchSize = 2;
        try (VconvInference inference = VconvInference.builder(new FailingOnce(NETWORK, 3)).batchSize(batchSize).build(spark)) {
            String path = dir.resolve("features.parquet").toString();
            inference.transform(SparkInferenceTest.dataset(rows, FLOAT_SCHEMA, 7)).write().parquet(path);
            assertEquals(1, INJECTED.get(), "failures injected (the retry must not fail again)");
            List<Row> written = spark.read().parquet(path).collectAsList();
            SparkInferenceTest.assertSameRows(SparkInferenceTest.singleJvm(NETWORK, IMAGES, batchSize, SparkInferenceTest::image),
                    written);
        }
    }

    /** The messages of {@code e} and its causes, one string. */
    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** Runs the float-array rows through the network; the job must fail with {@code expected} in its error. */
    static void assertJobFails(List<Row> rows, StructType schema, String expected) {
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(4).idColumn("id").build(spark)) {
            Dataset<Row> out = inference.transform(SparkInferenceTest.dataset(rows, schema, 2));
            SparkException e = assertThrows(SparkException.class, out::collectAsList);
            String all = messages(e);
            assertTrue(all.contains(expected), "expected <" + expected + "> in:\n" + all);
        }
    }

    static List<Row> goodRows() {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < 10; id++) {
            rows.add(SparkInferenceTest.floatRow(id));
        }
        return rows;
    }

    @Test
    void aNullImageFailsTheJobNamingTheRow() {
        List<Row> rows = goodRows();
        rows.set(7, RowFactory.create(7L, "image-7", null));   // partition 1 holds ids 5..9: row 2 of it
        assertJobFails(rows, FLOAT_SCHEMA, "java.lang.NullPointerException: image of row 2 of partition 1 (id=7) is null");
    }

    @Test
    void aNullElementFailsTheJobNamingTheRowAndElement() {
        List<Row> rows = goodRows();
        Object[] pixels = (Object[]) rows.get(3).get(2);
        pixels[C * H * W - 1] = null;
        assertJobFails(rows, FLOAT_SCHEMA, "image of row 3 of partition 0 (id=3) has a null at element " + (C * H * W - 1)
                + " (channel 2, y " + (H - 1) + ", x " + (W - 1) + ")");
    }

    @Test
    void aWrongElementCountFailsTheJobNamingTheRow() {
        List<Row> rows = goodRows();
        rows.set(9, RowFactory.create(9L, "image-9", new Float[C * H * W - 1]));
        assertJobFails(rows, FLOAT_SCHEMA, "java.lang.IllegalArgumentException: image of row 4 of partition 1 (id=9) has "
                + (C * H * W - 1) + " floats, but the network takes 3x29x23 = 2001 (NCHW)");
    }

    @Test
    void aWrongShapeFailsTheJobNamingTheRowAndItsOrigin() {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < 10; id++) {
            int h = id == 6 ? H + 1 : H;
            rows.add(RowFactory.create(id, SparkImageTest.imageStruct("file:/images/" + id + ".png", h, W, 3, new byte[h * W * 3])));
        }
        assertJobFails(rows, SparkImageTest.SCHEMA, "java.lang.IllegalArgumentException: image of row 1 of partition 1 (id=6) "
                + "(origin file:/images/6.png) is 3x30x23 (channels x height x width), but the network takes 3x29x23: resize the images first");
    }

    @Test
    void aConfigurationErrorIsCaughtOnTheDriver() {
        try (VconvInference inference = VconvInference.builder(NETWORK).inputColumn("name").build(spark)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> inference.transform(SparkInferenceTest.dataset(goodRows(), FLOAT_SCHEMA, 1)));
            assertEquals("inputColumn 'name' must be array<float> (NCHW floats) or Spark's image struct (height, width, "
                    + "nChannels, mode, data), but it is string", e.getMessage());
        }
        assertEquals("batchSize must be at least 1, but got batchSize=0",
                assertThrows(IllegalArgumentException.class, () -> VconvInference.builder(NETWORK).batchSize(0)).getMessage());
    }
}
