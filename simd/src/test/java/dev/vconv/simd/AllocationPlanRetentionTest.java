package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A plan that its caller dropped must be collectable after it was used: nothing a call leaves in the calling
 * thread (or a worker thread) may keep the plan, its packed weights and its workspaces alive.
 */
class AllocationPlanRetentionTest {

    static final ConvSpec SPEC = ConvSpec.builder(8, 8, 3).padding(1).build();
    static final Shape INPUT = Shape.of(1, 8, 16, 16);

    @Test
    void usedScalarPlansAreCollectable() throws InterruptedException {
        assertCollectable(() -> Engines.scalar().plan(SPEC, INPUT, Tensor.random(1, SPEC.weightShape().dims()), Tensor.random(2, 8)));
    }

    @Test
    void usedSimdPlansAreCollectable() throws InterruptedException {
        assertCollectable(() -> SimdEngines.simd(256).withThreads(1).plan(SPEC, INPUT, Tensor.random(1, SPEC.weightShape().dims()),
                Tensor.random(2, 8)));
    }

    private static void assertCollectable(Supplier<Conv2dPlan> plans) throws InterruptedException {
        Tensor input = Tensor.random(3, INPUT.dims());
        List<WeakReference<Conv2dPlan>> refs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Conv2dPlan plan = plans.get();
            plan.forward(input);
            refs.add(new WeakReference<>(plan));
        }
        for (int i = 0; i < 10 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        long alive = refs.stream().filter(r -> r.get() != null).count();
        assertTrue(alive <= 1, alive + " of 20 dropped plans are still reachable after GC: " + refs.get(0).get());
    }
}
