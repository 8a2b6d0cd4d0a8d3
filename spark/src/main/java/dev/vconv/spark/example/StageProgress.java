package dev.vconv.spark.example;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.StageInfo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a line when a Spark stage starts and one when it ends: its tasks, time, and records in and out. Stages are
 * named by their call site ({@code SparkContext.setCallSite} names them for a reader).
 */
public final class StageProgress extends SparkListener {
    private final PrintStream out;

    public StageProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        StageInfo stage = event.stageInfo();
        out.printf(Locale.ROOT, "[stage %d] %s: %d tasks started%n", stage.stageId(), stage.name(), stage.numTasks());
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo stage = event.stageInfo();
        long start = stage.submissionTime().isDefined() ? (Long) stage.submissionTime().get() : 0;
        long end = stage.completionTime().isDefined() ? (Long) stage.completionTime().get() : start;
        String result = stage.failureReason().isDefined() ? "failed: " + stage.failureReason().get() : "done";
        long in = stage.taskMetrics().inputMetrics().recordsRead();
        long written = stage.taskMetrics().outputMetrics().recordsWritten();
        out.printf(Locale.ROOT, "[stage %d] %s: %d tasks %s in %.1f s, %d records read, %d written%n", stage.stageId(),
                stage.name(), stage.numTasks(), result, (end - start) / 1e3, in, written);
    }
}
