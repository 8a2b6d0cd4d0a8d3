package dev.vconv.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.vconv.spark.SparkInferenceTest.FLOAT_SCHEMA;
import static dev.vconv.spark.SparkInferenceTest.IMAGES;
import static dev.vconv.spark.SparkInferenceTest.NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** vconv's thread count follows {@code spark.task.cpus}: a session of {@code local[2]} with two cores per task. */
class SparkTaskCpusTest {
    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = LocalSpark.start("local[2]", 2);
        SparkInferenceTest.spark = spark;
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void networkCallsUseTheTaskCpus() {
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < IMAGES; id++) {
            rows.add(SparkInferenceTest.floatRow(id));
        }
        try (VconvInference inference = VconvInference.builder(NETWORK).batchSize(4).build(spark)) {
            List<Row> out = inference.transform(SparkInferenceTest.dataset(rows, FLOAT_SCHEMA, 3)).collectAsList();
            assertEquals(Set.of(2), PlanCache.threadCounts(inference.broadcast().id()), "thread counts planned for");
            SparkInferenceTest.assertSameRows(SparkInferenceTest.singleJvm(NETWORK, IMAGES, 4, SparkInferenceTest::image), out);
        }
    }
}
