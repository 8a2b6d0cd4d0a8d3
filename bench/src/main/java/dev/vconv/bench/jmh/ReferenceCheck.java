package dev.vconv.bench.jmh;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.Arrays;

/**
 * The one-time check of a benchmark's {@code @Setup}: the measured path's output must equal the reference
 * within {@code 1e-4 * sqrt(K) * (1 + |ref|)}, K the reduction length; otherwise the benchmark fails instead
 * of timing a wrong answer.
 *
 * <p>What is checked, honestly: the naive reference runs at well under 1 GFLOP/s, so a layer of more than
 * {@value #FULL_CHECK_FLOPS} FLOPs is not checked in full. It is checked on the first image of the batch
 * and its first output channels (whole groups for a grouped layer) up to that budget, with every spatial
 * position, every kernel tap and the padding, stride and dilation of the layer: the positions where
 * indexing goes wrong. Later images and channels run the same code on other data, but are not compared with
 * the reference; {@link #compare} of two full outputs (ONNX Runtime against vconv) covers them for the peer.
 */
public final class ReferenceCheck {

    /** Layers up to this many FLOPs are compared with the reference in full (~0.1 s of reference time). */
    static final long FULL_CHECK_FLOPS = 40_000_000L;

    private ReferenceCheck() {
    }

    /** Throws {@link IllegalStateException} when {@code actual} disagrees with the reference. */
    public static void check(String what, Workload w, Tensor actual) {
        ConvSpec spec = w.spec;
        if (w.flops() <= FULL_CHECK_FLOPS) {
            Tensor ref = Engines.reference().forward(spec, w.input, w.weight, w.bias);
            compare(what + " vs reference (full output)", spec, ref.data(), actual.data(), ref.data().length);
            return;
        }
        // The first image and the first g whole groups: a convolution with cin' = g * cin/groups input
        // channels, cout' = g * cout/groups output channels and g groups reads a prefix of the first image,
        // a prefix of the weight and of the bias, and writes a prefix of the first output image.
        int[] in = w.inputShape.dims();
        int h = in[2];
        int wd = in[3];
        long perGroup = Math.max(1, spec.flops(Shape.of(1, spec.inChannels(), h, wd)) / spec.groups());
        int groups = spec.groups();
        int cinPerGroup = spec.inChannelsPerGroup();
        int coutPerGroup = spec.outChannelsPerGroup();
        ConvSpec reduced;
        if (groups == 1) {
            long perChannel = Math.max(1, perGroup / coutPerGroup);
            int cout = (int) Math.max(1, Math.min(coutPerGroup, FULL_CHECK_FLOPS / perChannel));
            reduced = withChannels(spec, cinPerGroup, cout, 1);
        } else {
            int g = (int) Math.max(1, Math.min(groups, FULL_CHECK_FLOPS / perGroup));
            reduced = withChannels(spec, g * cinPerGroup, g * coutPerGroup, g);
        }
        Shape inShape = Shape.of(1, reduced.inChannels(), h, wd);
        Tensor input = Tensor.of(Arrays.copyOf(w.input.data(), inShape.size()), inShape);
        Tensor weight = Tensor.of(Arrays.copyOf(w.weight.data(), reduced.weightShape().size()), reduced.weightShape());
        Tensor bias = w.bias == null ? null : Tensor.of(Arrays.copyOf(w.bias.data(), reduced.outChannels()),
                reduced.outChannels());
        Tensor ref = Engines.reference().forward(reduced, input, weight, bias);
        compare(what + " vs reference (image 0, output channels 0.." + (reduced.outChannels() - 1) + " of "
                + spec.outChannels() + ")", spec, ref.data(), actual.data(), ref.data().length);
    }

    private static ConvSpec withChannels(ConvSpec spec, int cin, int cout, int groups) {
        return ConvSpec.builder(cin, cout, spec.kernelH(), spec.kernelW()).stride(spec.strideH(), spec.strideW())
                .padding(spec.padTop(), spec.padBottom(), spec.padLeft(), spec.padRight())
                .dilation(spec.dilationH(), spec.dilationW()).groups(groups).bias(spec.hasBias())
                .paddingMode(spec.paddingMode()).build();
    }

    /**
     * Compares the first {@code count} elements of {@code expected} and {@code actual} with the tolerance
     * {@code 1e-4 * sqrt(K) * (1 + |expected|)}; throws naming the spec, the flat position and both values.
     */
    public static void compare(String what, ConvSpec spec, float[] expected, float[] actual, int count) {
        double scale = 1e-4 * Math.sqrt(spec.reductionLength());
        for (int i = 0; i < count; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= scale * (1 + Math.abs(e)))) {
                throw new IllegalStateException(what + ": mismatch for " + spec + " at flat output index " + i
                        + ": expected " + e + ", got " + a + " (tolerance " + scale * (1 + Math.abs(e)) + ")");
            }
        }
    }
}
