package dev.vconv.bench.network;

import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Models;
import dev.vconv.core.net.Network;
import dev.vconv.core.net.NetworkPlan;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.simd.SimdEngines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole networks ({@link Models}' ResNet-50 and MobileNetV2, core's {@code dev.vconv.core.net}) on the SIMD engine:
 * the logits equal the scalar engine's within 1e-4 of the largest, at every vector width and at 1 and 2 threads
 * (at 224x224 the bench module's {@code OrtNetworkTest} compares them with ONNX Runtime's);
 * a batch gives each image's own logits; and a steady-state forward allocates nothing, on the calling thread or
 * the workers (measured as simd's {@code AllocationTest} does). In the bench module, so that its JVM is not the
 * simd suite's: running whole networks there changes how C2 compiles kernels that the simd suite's allocation test
 * then measures.
 */
class NetworkEnginesTest {

    private static final Map<String, Tensor> SCALAR = new ConcurrentHashMap<>();

    static Network model(String name) {
        return name.equals("resnet50") ? Models.resnet50(19) : Models.mobileNetV2(19);
    }

    /** The scalar engine's logits, computed once per model and input. */
    static Tensor scalar(String name, Tensor input) {
        return SCALAR.computeIfAbsent(name + input.shape(), k -> model(name).plan(Engines.scalar(), input.shape()).forward(input));
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double relative) {
        assertEquals(expected.shape(), actual.shape(), what);
        double largest = 0;
        for (float v : expected.data()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0.1, what + ": logits of a sane scale, largest " + largest);
        for (int i = 0; i < expected.size(); i++) {
            double err = Math.abs(expected.data()[i] - actual.data()[i]);
            assertTrue(err <= relative * largest, what + ": logit " + i + " is " + actual.data()[i] + ", expected "
                    + expected.data()[i] + " within " + relative + " of the largest " + largest);
        }
    }

    static List<Object[]> widths() {
        List<Object[]> cases = new ArrayList<>();
        for (String model : List.of("resnet50", "mobilenet_v2")) {
            for (int bits : new int[] {512, 256, 128}) {
                for (int threads : new int[] {1, 2}) {
                    cases.add(new Object[] {model, bits, threads});
                }
            }
        }
        return cases;
    }

    /** 2 images of 96x96: every layer of both networks, with 3x3 planes at the end, at each width. */
    @ParameterizedTest
    @MethodSource("widths")
    void simdAgreesWithScalarAtEveryWidth(String name, int bits, int threads) {
        Tensor input = Tensor.random(21, 2, 3, 96, 96);
        Tensor logits = model(name).plan(SimdEngines.simd(bits).withThreads(threads), input.shape()).forward(input);
        assertClose(name + " simd-" + bits + " " + threads + "T", scalar(name, input), logits, 1e-4);
    }

    /** Each image of a batch of 3 gets the logits it gets alone (within rounding: the engine may split a batch otherwise). */
    @ParameterizedTest
    @CsvSource({"resnet50", "mobilenet_v2"})
    void batchEqualsImageByImage(String name) {
        Network net = model(name);
        Tensor batch = Tensor.random(23, 3, 3, 64, 64);
        SimdConv2d engine = SimdEngines.simd().withThreads(2);
        Tensor all = net.plan(engine, batch.shape()).forward(batch);
        Shape one = Shape.of(1, 3, 64, 64);
        NetworkPlan single = net.plan(engine, one);
        int per = one.size();
        for (int i = 0; i < 3; i++) {
            Tensor image = Tensor.of(Arrays.copyOfRange(batch.data(), i * per, (i + 1) * per), one);
            Tensor alone = single.forward(image);
            Tensor fromBatch = Tensor.of(Arrays.copyOfRange(all.data(), i * Models.CLASSES, (i + 1) * Models.CLASSES), alone.shape());
            assertClose(name + " image " + i, alone, fromBatch, 1e-5);
        }
    }

    /** Whole forward passes allocate nothing once warm: the plans, the plain ops and the activations' arrays. */
    @ParameterizedTest
    @CsvSource({"resnet50, 1, 48", "resnet50, 2, 48", "mobilenet_v2, 1, 48", "mobilenet_v2, 2, 224"})
    void steadyStateForwardAllocatesNothing(String name, int threads, int size) {
        Tensor input = Tensor.random(24, 1, 3, size, size);
        NetworkPlan plan = model(name).plan(SimdEngines.simd().withThreads(threads), input.shape());
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyBytesPerCall(() -> plan.forward(input, out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    /** As simd's AllocationTest: a stray object now and then (JIT deoptimisation), never a buffer. */
    static final long MAX_BYTES_PER_CALL = 64;

    /**
     * Bytes allocated per call by the calling thread and the {@code vconv-worker-N} threads, averaged over 20 calls
     * after 30 of warm-up; repeated for up to 60 seconds while it is above {@link #MAX_BYTES_PER_CALL}. Until C2 has
     * compiled a kernel its vectors are boxed objects, and a kernel that a network calls only a few times a pass, or
     * one that other tests in this JVM made C2 compile for other shapes first, may take many passes to get there.
     */
    static long steadyBytesPerCall(Runnable call) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        long perCall = Long.MAX_VALUE;
        long until = System.nanoTime() + 60_000_000_000L;
        while (perCall > MAX_BYTES_PER_CALL && System.nanoTime() - until < 0) {
            for (int i = 0; i < 30; i++) {
                call.run();
            }
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith("vconv-worker-"))
                    .mapToLong(Thread::threadId).toArray();
            long before = Arrays.stream(mx.getThreadAllocatedBytes(ids)).map(b -> Math.max(0, b)).sum();
            for (int i = 0; i < 20; i++) {
                call.run();
            }
            long after = Arrays.stream(mx.getThreadAllocatedBytes(ids)).map(b -> Math.max(0, b)).sum();
            perCall = (after - before) / 20;
        }
        return perCall;
    }
}
