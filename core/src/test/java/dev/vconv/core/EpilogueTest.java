package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Epilogue}'s unfused semantics (the residual add rounded once, as torch 1.13's {@code add(alpha=)}), its
 * checks, and the {@link Conv2d} / {@link Conv2dPlan} defaults that apply it after the convolution.
 */
class EpilogueTest {

    /** torch.add(y, r, alpha=0.1) in float32, torch 1.13.1: triples (y, r, result) where y + 0.1f*r rounds otherwise. */
    private static final float[][] TORCH_ADD_ALPHA_0_1 = {
            {-0x1.56d1d2p-4f, 0x1.a182c2p+0f, 0x1.453298p-4f},
            {-0x1.06e444p-2f, 0x1.0195d4p+0f, -0x1.3fb712p-3f},
            {0x1.52fdcep-6f, -0x1.82759ap-3f, 0x1.dd2ec2p-10f},
            {-0x1.05edd2p-2f, 0x1.08b326p+0f, -0x1.38191ep-3f}};

    @Test
    void theResidualAddRoundsOnceAsTorchsAdd() {
        Epilogue e = Epilogue.NONE.withResidual(0.1f);
        for (float[] t : TORCH_ADD_ALPHA_0_1) {
            assertEquals(Float.floatToIntBits(t[2]), Float.floatToIntBits(e.apply(t[0], t[1])), "y=" + t[0] + " r=" + t[1]);
            assertNotEquals(t[2], t[0] + 0.1f * t[1], "a case where two roundings differ");
        }
        assertEquals(3.5f, Epilogue.NONE.withResidual().apply(1.25f, 2.25f));
        assertEquals(0f, Epilogue.of(Activation.relu()).withResidual(2f).apply(-3f, 1f));    // relu(-3 + 2)
        assertEquals(1f, Epilogue.of(Activation.relu()).withResidual(2f).apply(-1f, 1f));
        assertEquals(-2f, Epilogue.of(Activation.identity()).apply(-2f, 99f));              // no residual: r ignored
    }

    @Test
    void theArrayFormsApplyElementWise() {
        Epilogue e = Epilogue.of(Activation.relu6()).withResidual(-0.5f);
        float[] y = {1f, -2f, 7f, 3f, 20f};
        float[] r = {4f, 2f, -2f, -0f, 8f};
        float[] out = new float[7];
        e.apply(y, 1, r, 0, out, 2, 3);
        assertArrayEquals(new float[] {0f, 0f, 0f, 6f, 4f, 0f, 0f}, out);   // relu6(-2 - 2), relu6(7 - 1), relu6(3 + 1)
        float[] inPlace = y.clone();
        e.apply(inPlace, 0, inPlace, 0, 5);                                 // residual = y itself
        for (int i = 0; i < 5; i++) {
            assertEquals(Activation.relu6().apply(Math.fma(-0.5f, y[i], y[i])), inPlace[i]);
        }
        Epilogue gelu = Epilogue.of(Activation.gelu());
        float[] g = {-1f, 0.5f, 2f};
        gelu.apply(g, 0, null, 0, 3);
        assertEquals(Activation.gelu().apply(-1f), g[0]);
        assertEquals(Activation.gelu().apply(2f), g[2]);
    }

    @Test
    void arrayFormsCheckTheirStretchesAndTheResidualsPresence() {
        Epilogue e = Epilogue.NONE.withResidual();
        assertMessage(() -> e.apply(new float[4], 2, new float[4], 0, 3), "y stretch [2, 2 + 3)", "array of length 4");
        assertMessage(() -> e.apply(new float[4], 0, new float[2], 0, 3), "residual stretch [0, 0 + 3)", "length 2");
        assertMessage(() -> e.apply(new float[4], -1, new float[4], 0, 1), "y stretch [-1");
        assertMessage(() -> e.apply(new float[4], 0, new float[4], 0, -1), "offset and length >= 0");
        assertMessage(() -> e.apply(new float[4], 0, new float[4], 0, new float[2], 1, 2), "out stretch [1, 1 + 2)");
        assertMessage(() -> e.apply(new float[4], 0, null, 0, 4), "residual is required");
        assertMessage(() -> Epilogue.of(Activation.relu()).apply(new float[4], 0, new float[4], 0, 4), "residual must be null");
    }

    @Test
    void residualChecksNameTheShapesAndTheRule() {
        Shape out = Shape.of(2, 6, 7, 7);
        Epilogue withResidual = Epilogue.of(Activation.relu()).withResidual();
        assertMessage(() -> withResidual.checkResidual(out, null), "residual of size [2, 6, 7, 7] is required", "relu(y + residual)");
        assertMessage(() -> withResidual.checkResidual(out, Tensor.zeros(2, 6, 7, 6)), "residual must have the output's size [2, 6, 7, 7]",
                "[2, 6, 7, 6]");
        assertMessage(() -> withResidual.checkResidual(out, Tensor.zeros(6, 7, 7, 2)), "[6, 7, 7, 2]");
        assertMessage(() -> Epilogue.of(Activation.relu()).checkResidual(out, Tensor.zeros(out)), "residual must be null",
                "adds no residual", "[2, 6, 7, 7]");
        withResidual.checkResidual(out, Tensor.zeros(out));
        Epilogue.of(Activation.relu()).checkResidual(out, null);
        assertMessage(() -> Epilogue.NONE.withResidual(Float.NaN), "alpha must be finite", "alpha=NaN");
        assertMessage(() -> Epilogue.NONE.withResidual(Float.POSITIVE_INFINITY), "alpha=Infinity");
    }

    @Test
    void valuesAndNames() {
        assertTrue(Epilogue.NONE.isNone());
        assertTrue(Epilogue.of(Activation.identity()).isNone());
        assertEquals(Epilogue.NONE, Epilogue.of(Activation.identity()));
        assertFalse(Epilogue.NONE.withResidual().isNone());
        assertEquals(Epilogue.of(Activation.relu()).withResidual(), Epilogue.of(Activation.relu()).withResidual(1f));
        assertEquals(Epilogue.of(Activation.relu()).withResidual().hashCode(), Epilogue.of(Activation.relu()).withResidual(1f).hashCode());
        assertNotEquals(Epilogue.of(Activation.relu()).withResidual(), Epilogue.of(Activation.relu()).withResidual(2f));
        assertNotEquals(Epilogue.of(Activation.relu()), Epilogue.of(Activation.relu()).withResidual());
        Epilogue e = Epilogue.of(Activation.gelu()).withResidual(0.5f);
        assertEquals(Activation.gelu(), e.activation());
        assertTrue(e.hasResidual());
        assertEquals(0.5f, e.alpha());
        assertEquals(1f, Epilogue.of(Activation.relu()).alpha());
        assertEquals(Epilogue.of(Activation.tanh()).withResidual(0.5f), e.withActivation(Activation.tanh()));
        assertEquals("none", Epilogue.NONE.toString());
        assertEquals("relu", Epilogue.of(Activation.relu()).toString());
        assertEquals("relu(y + residual)", Epilogue.of(Activation.relu()).withResidual().toString());
        assertEquals("gelu(y + 0.5 * residual)", e.toString());
        assertEquals("y + 2.0 * residual", Epilogue.NONE.withResidual(2f).toString());
    }

    @Test
    void theBoundIsExactForExactKindsAndUlpsForTheOthers() {
        Epilogue relu = Epilogue.of(Activation.relu());
        assertTrue(relu.withinBound(1f, 1f));
        assertTrue(relu.withinBound(Float.NaN, Float.NaN));
        assertFalse(relu.withinBound(-0f, 0f));
        assertFalse(relu.withinBound(1f, Math.nextUp(1f)));
        Epilogue silu = Epilogue.of(Activation.silu());
        float x = 0.75f;
        float fourUlpsAway = x + Epilogue.TRANSCENDENTAL_ULPS * Math.ulp(x);
        assertTrue(silu.withinBound(x, fourUlpsAway));
        assertFalse(silu.withinBound(x, Math.nextUp(fourUlpsAway)));
        assertTrue(silu.withinBound(0f, 1e-40f));
        assertFalse(silu.withinBound(0f, Float.NaN));
        assertFalse(silu.withinBound(Float.POSITIVE_INFINITY, Float.MAX_VALUE));
    }

    private static final ConvSpec SPEC = ConvSpec.builder(4, 6, 3).padding(1).groups(2).build();
    private static final Shape INPUT = Shape.of(2, 4, 5, 7);

    /** Every core engine's fused call equals its own convolution followed by the epilogue, through forward and plans. */
    @Test
    void coreEnginesEqualTheirConvolutionThenTheEpilogue() {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(SPEC, INPUT, 3);
        for (Conv2d engine : List.of(Engines.reference(), Engines.scalar())) {
            for (Epilogue e : List.of(Epilogue.of(Activation.relu()), Epilogue.of(Activation.gelu()).withResidual(),
                    Epilogue.of(Activation.clamp(-0.5f, 0.5f)).withResidual(-1.5f))) {
                Tensor y = engine.forward(SPEC, ops.input(), ops.weight(), ops.bias());
                Tensor residual = e.hasResidual() ? Tensor.random(5, y.shape().dims()) : null;
                Tensor expected = y.copy();
                e.apply(expected, residual);
                String what = engine.name() + ", " + e;
                assertArrayEquals(expected.data(), engine.forward(SPEC, ops.input(), ops.weight(), ops.bias(), e, residual).data(), what);
                Conv2dPlan plan = engine.plan(SPEC, INPUT, ops.weight(), ops.bias(), e);
                assertEquals(e, plan.epilogue());
                Tensor out = Tensor.zeros(y.shape());
                plan.forward(ops.input(), residual, out);
                assertArrayEquals(expected.data(), out.data(), what + " (plan)");
                if (residual != null) {
                    // the residual as the output itself: accumulate in place, through forward and the plan
                    Tensor inPlace = residual.copy();
                    engine.forward(SPEC, ops.input(), ops.weight(), ops.bias(), e, inPlace, inPlace);
                    assertArrayEquals(expected.data(), inPlace.data(), what + " (residual = output)");
                    Tensor planInPlace = residual.copy();
                    plan.forward(ops.input(), planInPlace, planInPlace);
                    assertArrayEquals(expected.data(), planInPlace.data(), what + " (plan, residual = output)");
                } else {
                    Tensor two = Tensor.zeros(y.shape());
                    plan.forward(ops.input(), two);
                    assertArrayEquals(expected.data(), two.data(), what + " (plan, forward(input, output))");
                }
            }
        }
    }

    /** The residual may share the input's array: it is only read, and the output is another array. */
    @Test
    void theResidualMayBeTheInputArray() {
        ConvSpec square = ConvSpec.builder(4, 4, 3).padding(1).bias(false).build();
        Tensor input = Tensor.random(8, 1, 4, 6, 6);
        Tensor weight = Tensor.random(9, 4, 4, 3, 3);
        Epilogue e = Epilogue.of(Activation.relu()).withResidual();
        for (Conv2d engine : List.of(Engines.reference(), Engines.scalar())) {
            Tensor expected = engine.forward(square, input, weight, null);
            e.apply(expected, input);
            long inputSum = ConvAsserts.checksum(input.data());
            Tensor out = engine.forward(square, input, weight, null, e, input);
            assertArrayEquals(expected.data(), out.data(), engine.name());
            assertEquals(inputSum, ConvAsserts.checksum(input.data()), engine.name() + " changed the input");
        }
    }

    @Test
    void noneGivesThePlainPlan() {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(SPEC, INPUT, 3);
        Conv2dPlan plan = Engines.reference().plan(SPEC, INPUT, ops.weight(), ops.bias(), Epilogue.NONE);
        assertSame(Epilogue.NONE, plan.epilogue());
        Tensor plain = Engines.reference().forward(SPEC, ops.input(), ops.weight(), ops.bias());
        Tensor out = Tensor.zeros(plain.shape());
        plan.forward(ops.input(), null, out);
        assertArrayEquals(plain.data(), out.data());
    }

    @Test
    void plansRejectTheWrongCallForTheirEpilogue() {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(SPEC, INPUT, 3);
        Shape outShape = SPEC.outputShape(INPUT);
        for (Conv2d engine : List.of(Engines.reference(), Engines.scalar())) {
            Conv2dPlan residualPlan = engine.plan(SPEC, INPUT, ops.weight(), ops.bias(), Epilogue.of(Activation.relu()).withResidual());
            Tensor out = Tensor.zeros(outShape);
            assertMessage(() -> residualPlan.forward(ops.input(), out), "adds a residual", "forward(input, residual, output)",
                    "[2, 6, 5, 7]");
            assertMessage(() -> residualPlan.forward(ops.input()), "adds a residual");
            assertMessage(() -> residualPlan.forward(ops.input(), null, out), "residual of size [2, 6, 5, 7] is required");
            assertMessage(() -> residualPlan.forward(ops.input(), Tensor.zeros(2, 6, 5, 6), out), "residual must have the output's size");
            Conv2dPlan reluPlan = engine.plan(SPEC, INPUT, ops.weight(), ops.bias(), Epilogue.of(Activation.relu()));
            assertMessage(() -> reluPlan.forward(ops.input(), Tensor.zeros(outShape), out), "residual must be null");
            Conv2dPlan plain = engine.plan(SPEC, INPUT, ops.weight(), ops.bias());
            assertMessage(() -> plain.forward(ops.input(), Tensor.zeros(outShape), out), "residual must be null");
            assertArrayEquals(new float[out.size()], out.data(), engine.name() + ": a rejected call wrote");
        }
        assertThrows(NullPointerException.class, () -> Engines.scalar().plan(SPEC, INPUT, ops.weight(), ops.bias(), null));
        assertThrows(NullPointerException.class, () -> Engines.scalar().forward(SPEC, ops.input(), ops.weight(), ops.bias(), null,
                null, Tensor.zeros(outShape)));
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
        }
    }
}
