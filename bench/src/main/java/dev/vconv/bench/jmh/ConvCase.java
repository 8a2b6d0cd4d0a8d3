package dev.vconv.bench.jmh;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;

/**
 * The grid: every stride (1, 2, 3) x dilation (1, 2, 3) x groups (1, 2, 4, depthwise) of a 3x3 kernel, and
 * the 1x1 kernels where they mean something (stride 1, 2, 3 x groups 1, 2, 4: dilation does nothing to a 1x1
 * kernel, and a depthwise 1x1 is a per-channel scale, not a convolution worth timing).
 *
 * <p>Every case runs on the same mid-size layer, {@value #CHANNELS} to {@value #CHANNELS} channels on a
 * {@value #SIZE}x{@value #SIZE} image, batch 1, with bias and the padding {@code dilation*(k-1)/2} that keeps
 * a stride-1 output the size of the input. One call costs 14.5 MFLOP (S1_D1_G1_K3) down to 0.05 MFLOP
 * (S3_*_DW_K3): between ~0.05 and ~10 ms on one core. Names read {@code S<stride>_D<dilation>_G<groups>_K<k>}
 * with {@code DW} for depthwise.
 */
public enum ConvCase {
    S1_D1_G1_K3(1, 1, 1, 3), S1_D1_G2_K3(1, 1, 2, 3), S1_D1_G4_K3(1, 1, 4, 3), S1_D1_DW_K3(1, 1, ConvCase.DEPTHWISE, 3),
    S1_D2_G1_K3(1, 2, 1, 3), S1_D2_G2_K3(1, 2, 2, 3), S1_D2_G4_K3(1, 2, 4, 3), S1_D2_DW_K3(1, 2, ConvCase.DEPTHWISE, 3),
    S1_D3_G1_K3(1, 3, 1, 3), S1_D3_G2_K3(1, 3, 2, 3), S1_D3_G4_K3(1, 3, 4, 3), S1_D3_DW_K3(1, 3, ConvCase.DEPTHWISE, 3),
    S2_D1_G1_K3(2, 1, 1, 3), S2_D1_G2_K3(2, 1, 2, 3), S2_D1_G4_K3(2, 1, 4, 3), S2_D1_DW_K3(2, 1, ConvCase.DEPTHWISE, 3),
    S2_D2_G1_K3(2, 2, 1, 3), S2_D2_G2_K3(2, 2, 2, 3), S2_D2_G4_K3(2, 2, 4, 3), S2_D2_DW_K3(2, 2, ConvCase.DEPTHWISE, 3),
    S2_D3_G1_K3(2, 3, 1, 3), S2_D3_G2_K3(2, 3, 2, 3), S2_D3_G4_K3(2, 3, 4, 3), S2_D3_DW_K3(2, 3, ConvCase.DEPTHWISE, 3),
    S3_D1_G1_K3(3, 1, 1, 3), S3_D1_G2_K3(3, 1, 2, 3), S3_D1_G4_K3(3, 1, 4, 3), S3_D1_DW_K3(3, 1, ConvCase.DEPTHWISE, 3),
    S3_D2_G1_K3(3, 2, 1, 3), S3_D2_G2_K3(3, 2, 2, 3), S3_D2_G4_K3(3, 2, 4, 3), S3_D2_DW_K3(3, 2, ConvCase.DEPTHWISE, 3),
    S3_D3_G1_K3(3, 3, 1, 3), S3_D3_G2_K3(3, 3, 2, 3), S3_D3_G4_K3(3, 3, 4, 3), S3_D3_DW_K3(3, 3, ConvCase.DEPTHWISE, 3),
    S1_D1_G1_K1(1, 1, 1, 1), S1_D1_G2_K1(1, 1, 2, 1), S1_D1_G4_K1(1, 1, 4, 1),
    S2_D1_G1_K1(2, 1, 1, 1), S2_D1_G2_K1(2, 1, 2, 1), S2_D1_G4_K1(2, 1, 4, 1),
    S3_D1_G1_K1(3, 1, 1, 1), S3_D1_G2_K1(3, 1, 2, 1), S3_D1_G4_K1(3, 1, 4, 1);

    /** Input and output channels of the grid's layer. */
    public static final int CHANNELS = 32;
    /** Height and width of the grid's input image. */
    public static final int SIZE = 28;
    /** Marks depthwise: groups = channels. */
    private static final int DEPTHWISE = 0;

    private final int stride;
    private final int dilation;
    private final int groups;
    private final int kernel;

    ConvCase(int stride, int dilation, int groups, int kernel) {
        this.stride = stride;
        this.dilation = dilation;
        this.groups = groups == DEPTHWISE ? CHANNELS : groups;
        this.kernel = kernel;
    }

    public ConvSpec spec() {
        int pad = dilation * (kernel - 1) / 2;
        return ConvSpec.builder(CHANNELS, CHANNELS, kernel, kernel).stride(stride, stride).padding(pad, pad, pad, pad)
                .dilation(dilation, dilation).groups(groups).bias(true).build();
    }

    public Shape inputShape() {
        return Shape.of(1, CHANNELS, SIZE, SIZE);
    }

    public boolean depthwise() {
        return groups == CHANNELS;
    }

    /** FLOPs of one call, {@code 2 * n * cout * hout * wout * (cin/groups) * kh * kw}. */
    public long flops() {
        return spec().flops(inputShape());
    }
}
