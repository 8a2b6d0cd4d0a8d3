package dev.vconv.bench.jmh;

import dev.vconv.bench.EngineCatalog;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Engines;

import java.lang.reflect.Method;

/**
 * The vconv engine behind a benchmark's {@code path} parameter: {@code scalar} (single-threaded by design)
 * or {@code simd} at a thread count.
 *
 * <p>The SIMD engine is found through {@link EngineCatalog} (by reflection, because the simd module is
 * written while these benchmarks are): a benchmark of {@code simd} fails in {@code @Setup} with the
 * catalogue's reason rather than silently timing another engine.
 */
final class BenchEngines {

    private BenchEngines() {
    }

    static Conv2d engine(String path, int threads) {
        return switch (path) {
            case "scalar" -> {
                if (threads != 1) {
                    throw new IllegalArgumentException("the scalar engine is single-threaded, but got threads=" + threads);
                }
                yield Engines.scalar();
            }
            case "simd" -> withThreads(simd(), threads);
            default -> throw new IllegalArgumentException("path must be scalar or simd, but got '" + path + "'");
        };
    }

    /**
     * The plan of {@code path} at {@code threads} for {@code w}, called once and its output checked against the
     * reference ({@link ReferenceCheck}, which names the benchmark as {@code what}) before any timing.
     */
    static Conv2dPlan checkedPlan(String path, int threads, Workload w, String what) {
        Conv2dPlan plan = engine(path, threads).plan(w.spec, w.inputShape, w.weight, w.bias);
        plan.forward(w.input, w.output);
        ReferenceCheck.check(what, w, w.output);
        return plan;
    }

    private static Conv2d simd() {
        EngineCatalog.Lookup lookup = EngineCatalog.find("simd");
        if (lookup.engine() == null) {
            throw new IllegalStateException(lookup.unavailableReason());
        }
        return lookup.engine();
    }

    /**
     * The simd engine at {@code threads} threads: through its {@code withThreads(int)} when it has one. With
     * one thread the engine is used as found; asking for more from an engine without that method fails,
     * since timing a single-threaded engine as "2 threads" would be a false number.
     */
    private static Conv2d withThreads(Conv2d engine, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, but got threads=" + threads);
        }
        Method method;
        try {
            method = engine.getClass().getMethod("withThreads", int.class);
        } catch (NoSuchMethodException e) {
            if (threads == 1) {
                return engine;
            }
            throw new IllegalStateException("the simd engine " + engine.name() + " (" + engine.getClass().getName()
                    + ") has no withThreads(int), so it cannot run on " + threads + " threads");
        }
        try {
            return (Conv2d) method.invoke(engine, threads);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("the simd engine's withThreads(" + threads + ") failed: " + e, e);
        }
    }
}
