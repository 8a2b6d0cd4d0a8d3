package dev.vconv.core.testing;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused-epilogue contract, for any engine: its fused result equals its own plain output followed by
 * {@link Epilogue}'s element-wise application ({@link Epilogue#withinBound}: bit for bit for the exact activation
 * kinds and the residual add, within {@link Epilogue#TRANSCENDENTAL_ULPS} ulps for the others), through
 * {@code forward} and through a plan, with a separate residual and with the output as its own residual.
 */
public final class FusedChecks {

    private FusedChecks() {
    }

    /** One activation of every kind, with parameters that matter: a bound at -0.0, a negative slope, a slope above 1. */
    public static List<Activation> activations() {
        return List.of(Activation.identity(), Activation.relu(), Activation.relu6(), Activation.clamp(-0.5f, 0.75f),
                Activation.clamp(-0f, Float.POSITIVE_INFINITY), Activation.leakyRelu(0.1f), Activation.leakyRelu(-1.5f),
                Activation.hardswish(), Activation.silu(), Activation.sigmoid(), Activation.tanh(), Activation.gelu(),
                Activation.geluTanh());
    }

    /** Every activation without a residual, with a residual (alpha 1) and with alpha -0.625. */
    public static List<Epilogue> epilogues() {
        List<Epilogue> epilogues = new ArrayList<>();
        for (Activation a : activations()) {
            epilogues.add(Epilogue.of(a));
            epilogues.add(Epilogue.of(a).withResidual());
            epilogues.add(Epilogue.of(a).withResidual(-0.625f));
        }
        return epilogues;
    }

    /**
     * Runs {@code epilogue} fused on {@code engine} every way it can be called and compares each result with the
     * engine's plain output followed by the epilogue: {@code forward} with a separate residual and with the output
     * as the residual, and a plan called twice both ways (a plan's buffers are reused between calls).
     */
    public static void assertFusedEqualsUnfused(Conv2d engine, ConvSpec spec, Shape inputShape, Epilogue epilogue, long seed) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, inputShape, seed);
        Tensor plain = engine.forward(spec, ops.input(), ops.weight(), ops.bias());
        Tensor residual = epilogue.hasResidual() ? residual(plain.shape(), seed + 3) : null;
        float[] expected = new float[plain.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = epilogue.apply(plain.data()[i], residual == null ? 0f : residual.data()[i]);
        }
        String what = engine.name() + ", " + epilogue + ", " + spec + " on input " + inputShape;
        Tensor out = Tensor.zeros(plain.shape());
        java.util.Arrays.fill(out.data(), Float.NaN);
        engine.forward(spec, ops.input(), ops.weight(), ops.bias(), epilogue, residual, out);
        compare(what + " (forward)", epilogue, plain.shape(), expected, out.data());
        Conv2dPlan plan = engine.plan(spec, inputShape, ops.weight(), ops.bias(), epilogue);
        for (int call = 0; call < 2; call++) {
            Tensor planned = Tensor.zeros(plain.shape());
            java.util.Arrays.fill(planned.data(), Float.NaN);
            if (residual == null) {
                plan.forward(ops.input(), planned);
            } else {
                plan.forward(ops.input(), residual, planned);
            }
            compare(what + " (plan, call " + call + ")", epilogue, plain.shape(), expected, planned.data());
        }
        if (residual != null) {
            Tensor inPlace = residual.copy();
            engine.forward(spec, ops.input(), ops.weight(), ops.bias(), epilogue, inPlace, inPlace);
            compare(what + " (forward, residual = output)", epilogue, plain.shape(), expected, inPlace.data());
            for (int call = 0; call < 2; call++) {
                Tensor planInPlace = residual.copy();
                plan.forward(ops.input(), planInPlace, planInPlace);
                compare(what + " (plan, residual = output, call " + call + ")", epilogue, plain.shape(), expected, planInPlace.data());
            }
        }
    }

    /** A residual of values in [-4, 4), so that additions cross zero and the clamps' bounds. */
    private static Tensor residual(Shape shape, long seed) {
        Tensor r = Tensor.random(seed, shape.dims());
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] *= 4;
        }
        return r;
    }

    private static void compare(String what, Epilogue epilogue, Shape shape, float[] expected, float[] got) {
        for (int i = 0; i < expected.length; i++) {
            if (!epilogue.withinBound(expected[i], got[i])) {
                fail(what + ": at " + ConvAsserts.position(shape, i) + " the unfused result is " + expected[i] + " ("
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), the fused " + got[i] + " ("
                        + Integer.toHexString(Float.floatToRawIntBits(got[i])) + ")");
            }
        }
    }
}
