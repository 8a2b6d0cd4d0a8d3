package dev.vconv.core;

import java.util.Arrays;

/** Whole-plane steps the training paths of every engine share: the bias gradient and the bias fill. */
public final class PlaneOps {

    private PlaneOps() {
    }

    /**
     * Adds the sum of each of {@code planes} consecutive planes of {@code planeSize} floats, starting at
     * {@code srcOff}, to {@code sums[sumsOff + o]}: the bias gradient of one image and group.
     */
    public static void addPlaneSums(float[] src, int srcOff, int planes, int planeSize, float[] sums, int sumsOff) {
        for (int o = 0; o < planes; o++) {
            float sum = 0;
            for (int i = srcOff + o * planeSize, end = i + planeSize; i < end; i++) {
                sum += src[i];
            }
            sums[sumsOff + o] += sum;
        }
    }

    /** Fills every channel plane of the NCHW tensor {@code t} with its channel's {@code bias}, or zero without bias. */
    public static void fillWithBias(Tensor t, Tensor bias) {
        Nchw shape = Nchw.of(t.shape());
        float[] y = t.data();
        for (int plane = 0; plane < shape.n() * shape.c(); plane++) {
            float b = bias == null ? 0f : bias.data()[plane % shape.c()];
            Arrays.fill(y, plane * shape.planeSize(), (plane + 1) * shape.planeSize(), b);
        }
    }
}
