package dev.vconv.bench.progress;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * JMH's output split in two: everything JMH would print (its text format, the forks' own output, failures in
 * full) goes to {@code log}, and {@link Progress} gets what it needs for the console's progress lines. Passed
 * to {@code new Runner(options, format)}. JMH calls it from its own thread and from the threads that read the
 * forks' output, hence {@code synchronized}.
 */
public final class ProgressLog implements OutputFormat {
    private final OutputFormat log;
    private final Progress progress;

    public ProgressLog(OutputFormat log, Progress progress) {
        this.log = log;
        this.progress = progress;
    }

    @Override
    public synchronized void startBenchmark(BenchmarkParams params) {
        log.startBenchmark(params);
        SortedMap<String, String> values = new TreeMap<>();
        params.getParamsKeys().forEach(key -> values.put(key, params.getParam(key)));
        progress.started(params.getBenchmark(), values);
    }

    @Override
    public synchronized void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        if (result != null) {
            Result<?> primary = result.getPrimaryResult();
            progress.finished(primary.getStatistics().getPercentile(50), primary.getScoreUnit());
        }
    }

    @Override
    public synchronized void endRun(Collection<RunResult> results) {
        log.endRun(results);
        progress.end();
    }

    @Override
    public synchronized void println(String s) {
        log.println(s);
        progress.jmhOutput(s);
    }

    @Override
    public synchronized void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public synchronized void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                             IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public synchronized void startRun() {
        log.startRun();
    }

    @Override
    public synchronized void print(String s) {
        log.print(s);
    }

    @Override
    public synchronized void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public synchronized void write(int b) {
        log.write(b);
    }

    @Override
    public synchronized void write(byte[] b) throws IOException {
        log.write(b);
    }

    @Override
    public synchronized void flush() {
        log.flush();
    }

    @Override
    public synchronized void close() {
        log.close();
    }
}
