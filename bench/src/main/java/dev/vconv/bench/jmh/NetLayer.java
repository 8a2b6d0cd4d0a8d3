package dev.vconv.bench.jmh;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;

/**
 * The network suite: 18 conv2d layers from real networks (ResNet, MobileNetV2, ResNeXt, DeepLab, LeNet,
 * Inception) and two small seeds, measured side by side with ONNX Runtime and PyTorch. The values are copied
 * from the project's shared {@code suite.json} (the build must not read files outside the repository); names
 * are as in that file. NCHW float32; padding is {@code [top, bottom, left, right]}, stride and dilation
 * {@code [h, w]}.
 */
public enum NetLayer {
    //  n, cin,  h,   w, cout, kh, kw, sh, sw, top, bottom, left, right, dh, dw, groups, bias
    seed000_5x5_s2p1(1, 1, 5, 5, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, true),
    seed004_g2d2s2p1(2, 2, 5, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 2, true),
    resnet_conv1_7x7s2(1, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1, false),
    resnet_3x3_64x56(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, false),
    resnet_3x3s2_128x56(1, 128, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, false),
    resnet_3x3_256x14(1, 256, 14, 14, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, false),
    resnet_3x3_512x7(1, 512, 7, 7, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, false),
    resnet_1x1_256to64x56(1, 256, 56, 56, 64, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, false),
    resnet_1x1_1024to256x14(1, 1024, 14, 14, 256, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, false),
    resnet_1x1s2_512to1024x28(1, 512, 28, 28, 1024, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1, false),
    mbv2_dw3x3_144x56(1, 144, 56, 56, 144, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 144, true),
    mbv2_dw3x3s2_96x112(1, 96, 112, 112, 96, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 96, true),
    resnext_g32_3x3_128x56(1, 128, 56, 56, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32, false),
    deeplab_d2_3x3_256x28(1, 256, 28, 28, 256, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1, true),
    deeplab_d4_3x3_128x32(1, 128, 32, 32, 128, 3, 3, 1, 1, 4, 4, 4, 4, 4, 4, 1, true),
    batch8_3x3_64x56(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, true),
    lenet_5x5_32to64x28(1, 32, 28, 28, 64, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1, true),
    inception_1x7_64x56(1, 64, 56, 56, 64, 1, 7, 1, 1, 0, 0, 3, 3, 1, 1, 1, true);

    private final int n;
    private final int cin;
    private final int h;
    private final int w;
    private final ConvSpec spec;

    NetLayer(int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int top, int bottom, int left,
             int right, int dh, int dw, int groups, boolean bias) {
        this.n = n;
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.spec = ConvSpec.builder(cin, cout, kh, kw).stride(sh, sw).padding(top, bottom, left, right)
                .dilation(dh, dw).groups(groups).bias(bias).build();
    }

    public ConvSpec spec() {
        return spec;
    }

    /** {@code [n, cin, h, w]}. */
    public Shape inputShape() {
        return Shape.of(n, cin, h, w);
    }

    /** FLOPs of one call, {@code 2 * n * cout * hout * wout * (cin/groups) * kh * kw}. */
    public long flops() {
        return spec.flops(inputShape());
    }
}
