package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link BatchNorm2d#fold} bit for bit against torch 1.13.1's {@code fuse_conv_bn_weights} in float32, the folded
 * convolution against the convolution followed by the BatchNorm, and the parameter checks.
 */
class BatchNorm2dTest {

    // torch.nn.utils.fusion.fuse_conv_bn_weights on float32 tensors (torch 1.13.1, Debian's python3-torch): a conv
    // weight [3, 2, 1, 2] and bias, BatchNorm parameters with running_var[1] = 1e-6 (a scale of about 600), eps 1e-5;
    // and the same without conv bias, eps 1e-3.
    private static final float[] W = {0x1.9b47p-1f, 0x1.660f0cp-3f, 0x1.6c744cp-4f, -0x1.3a394p-1f, 0x1.7a539ep-5f, -0x1.5e463cp+0f, 0x1.59985p-2f, 0x1.02d87ep+0f, -0x1.6f67eap+0f, 0x1.f471fp-1f, 0x1.0b4a22p-1f, 0x1.3ce81cp+0f};
    private static final float[] B = {-0x1.bab184p-1f, 0x1.3222cap-2f, 0x1.ad47a8p-2f};
    private static final float[] GAMMA = {0x1.475a78p-1f, 0x1.1a6502p-1f, 0x1.221f66p-1f};
    private static final float[] BETA = {-0x1.471554p-4f, 0x1.0a5f1ap-2f, 0x1.ad9372p-5f};
    private static final float[] MEAN = {0x1.de1244p-1f, 0x1.f608b2p-2f, -0x1.be4beep-3f};
    private static final float[] VAR = {0x1.89d164p-1f, 0x1.0c6f7ap-20f, 0x1.ef4252p+0f};
    private static final float[] FOLDED_W = {0x1.2bd2e2p-1f, 0x1.0506fp-3f, 0x1.09b08p-4f, -0x1.ca245ap-2f, 0x1.eb86cap+2f, -0x1.c714a8p+7f, 0x1.c1004cp+5f, 0x1.504ba2p+7f, -0x1.2b5b92p-1f, 0x1.97c19ep-2f, 0x1.b3918p-3f, 0x1.02362ap-1f};
    private static final float[] FOLDED_B = {-0x1.64107cp+0f, -0x1.f8dd4p+4f, 0x1.3f7dfcp-2f};
    private static final float[] FOLDED_W_NO_BIAS_EPS_1E_3 = {0x1.2ba18cp-1f, 0x1.04dbfcp-3f, 0x1.0984c8p-4f, -0x1.c9d8f6p-2f, 0x1.9c3534p-1f, -0x1.7da4bp+4f, 0x1.788b7cp+2f, 0x1.1a06d6p+4f, -0x1.2b47fap-1f, 0x1.97a6ecp-2f, 0x1.b374fcp-3f, 0x1.022542p-1f};
    private static final float[] FOLDED_B_NO_BIAS_EPS_1E_3 = {-0x1.852daap-1f, -0x1.092c3ep+3f, 0x1.212a7ap-3f};

    private static BatchNorm2d bn(double eps) {
        return BatchNorm2d.of(Tensor.of(GAMMA.clone(), 3), Tensor.of(BETA.clone(), 3), Tensor.of(MEAN.clone(), 3), Tensor.of(VAR.clone(), 3), eps);
    }

    @Test
    void foldIsTorchsFuseConvBnWeightsBitForBit() {
        ConvSpec spec = ConvSpec.builder(2, 3, 1, 2).build();
        Tensor weight = Tensor.of(W.clone(), 3, 2, 1, 2);
        Tensor bias = Tensor.of(B.clone(), 3);
        BatchNorm2d.Folded f = bn(1e-5).fold(spec, weight, bias);
        assertArrayEquals(FOLDED_W, f.weight().data());
        assertArrayEquals(FOLDED_B, f.bias().data());
        assertEquals(spec, f.spec());
        assertArrayEquals(W, weight.data(), "the caller's weight changed");
        assertArrayEquals(B, bias.data(), "the caller's bias changed");

        ConvSpec noBias = spec.toBuilder().bias(false).build();
        BatchNorm2d.Folded g = bn(1e-3).fold(noBias, weight, null);
        assertArrayEquals(FOLDED_W_NO_BIAS_EPS_1E_3, g.weight().data());
        assertArrayEquals(FOLDED_B_NO_BIAS_EPS_1E_3, g.bias().data());
        assertTrue(g.spec().hasBias(), "the folded spec has a bias");
        assertEquals(noBias.toBuilder().bias(true).build(), g.spec());
    }

    /**
     * The folded convolution on the scalar engine against the plain convolution followed by the BatchNorm in double,
     * within the conformance rule {@code 1e-4 * sqrt(K) * (1 + |ref|)}; a grouped spec with padding.
     */
    @Test
    void theFoldedConvolutionIsTheConvolutionFollowedByTheBatchNorm() {
        ConvSpec spec = ConvSpec.builder(6, 9, 3).groups(3).padding(1, 2).stride(2, 1).bias(true).build();
        Shape shape = Shape.of(2, 6, 11, 9);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 21);
        Tensor gamma = Tensor.random(1, 9);
        Tensor mean = Tensor.random(2, 9);
        Tensor var = Tensor.random(3, 9);
        for (int c = 0; c < 9; c++) {
            var.data()[c] = var.data()[c] * var.data()[c] * 3;
        }
        BatchNorm2d bn = BatchNorm2d.of(gamma, Tensor.random(4, 9), mean, var, 1e-5);
        Tensor conv = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
        int plane = conv.dim(2) * conv.dim(3);
        float[] expected = new float[conv.size()];
        for (int i = 0; i < expected.length; i++) {
            int c = (i / plane) % 9;
            double scale = bn.gamma().data()[c] / Math.sqrt(bn.runningVar().data()[c] + bn.eps());
            expected[i] = (float) ((conv.data()[i] - (double) bn.runningMean().data()[c]) * scale + bn.beta().data()[c]);
        }
        BatchNorm2d.Folded f = bn.fold(spec, ops.weight(), ops.bias());
        Tensor folded = Engines.scalar().forward(f.spec(), ops.input(), f.weight(), f.bias());
        ConvAsserts.assertClose("folded " + spec, Tensor.of(expected, conv.shape()), folded, spec.reductionLength());
    }

    @Test
    void badParametersNameTheParameterTheValueAndTheRule() {
        Tensor three = Tensor.of(new float[] {1, 1, 1}, 3);
        assertMessage(() -> BatchNorm2d.of(three, three, three, Tensor.zeros(4), 1e-5), "must all have size [num_features]", "running_var [4]");
        assertMessage(() -> BatchNorm2d.of(Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(0), 1e-5), "num_features >= 1");
        assertMessage(() -> BatchNorm2d.of(Tensor.zeros(1, 3), three, three, three, 1e-5), "gamma [1, 3]");
        assertMessage(() -> BatchNorm2d.of(three, three, three, three, Double.NaN), "eps must be finite and >= 0", "eps=NaN");
        assertMessage(() -> BatchNorm2d.of(three, three, three, three, -1e-5), "eps=-1.0E-5");
        assertMessage(() -> BatchNorm2d.of(three, three, three, Tensor.of(new float[] {1, -2, 1}, 3), 1e-5), "running_var[1] must be >= 0",
                "-2.0");
        assertMessage(() -> BatchNorm2d.of(three, three, three, Tensor.of(new float[] {1, 0, 1}, 3), 0), "running_var[1] + eps must be positive");
        assertMessage(() -> BatchNorm2d.of(three, Tensor.of(new float[] {0, 0, Float.NaN}, 3), three, three, 1e-5), "beta[2] must be finite",
                "NaN");
        assertMessage(() -> BatchNorm2d.of(three, three, Tensor.of(new float[] {Float.POSITIVE_INFINITY, 0, 0}, 3), three, 1e-5),
                "running_mean[0] must be finite");
        assertThrows(NullPointerException.class, () -> BatchNorm2d.of(null, three, three, three, 1e-5));
        BatchNorm2d bn = BatchNorm2d.of(three, three, three, three, 1e-5);
        ConvSpec four = ConvSpec.builder(2, 4, 1).build();
        assertMessage(() -> bn.fold(four, Tensor.zeros(4, 2, 1, 1), Tensor.zeros(4)), "num_features=3", "out_channels=4", "must be equal");
        ConvSpec spec = ConvSpec.builder(2, 3, 1).build();
        assertMessage(() -> bn.fold(spec, Tensor.zeros(3, 2, 1, 1), null), "bias of size [3] is required");
        assertMessage(() -> bn.fold(spec, Tensor.zeros(3, 1, 1, 1), Tensor.zeros(3)), "weight must have size");
    }

    @Test
    void itKeepsCopies() {
        float[] gamma = {1, 2};
        BatchNorm2d bn = BatchNorm2d.of(Tensor.of(gamma, 2), Tensor.zeros(2), Tensor.zeros(2), Tensor.of(new float[] {1, 1}, 2), 1e-5);
        gamma[0] = 99;
        assertEquals(1f, bn.gamma().data()[0]);
        bn.gamma().data()[1] = 99;
        assertEquals(2f, bn.gamma().data()[1]);
        assertEquals(2, bn.numFeatures());
        assertEquals("BatchNorm2d(2, eps=1.0E-5)", bn.toString());
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
        }
    }
}
