package dev.vconv.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: {@code local[2]} (two executor threads in this JVM), bound to the loopback interface, no UI.
 * One session serves every test class (starting one takes seconds); a class that needs other settings stops it
 * and makes its own with {@link #start}.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    /**
     * The shared session: {@code local[2,2]}, two task threads and two attempts per task (local mode's second
     * number is {@code spark.task.maxFailures}), so that a test can see a failed task retried.
     */
    static synchronized SparkSession shared() {
        if (session == null || session.sparkContext().isStopped()) {
            session = start("local[2,2]", 1);
        }
        return session;
    }

    /** A new session on {@code master} with {@code spark.task.cpus = taskCpus}; stops the shared one first. */
    static synchronized SparkSession start(String master, int taskCpus) {
        if (session != null) {
            session.stop();
            session = null;
        }
        SparkSession spark = SparkSession.builder()
                .master(master)
                .appName("vconv-spark-test")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.task.cpus", String.valueOf(taskCpus))
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        session = spark;
        return spark;
    }
}
