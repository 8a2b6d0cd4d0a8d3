package dev.vconv.core.net;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Tensor;

import java.util.SplittableRandom;

/**
 * torchvision's ResNet-50 and MobileNetV2 (width 1.0) as {@link Network}s, with seeded weights and seeded
 * BatchNorm statistics in eval mode: the same layers, shapes, parameter counts and layer names as
 * {@code torchvision.models.resnet50()} and {@code mobilenet_v2()} (torchvision 0.14), which take any input of at
 * least 32x32 and are usually run at 224x224.
 *
 * <p>The values are random but keep the activations at a steady scale through the depth, as trained weights do:
 * convolution weights uniform with He's variance {@code 2 / fan_in}; BatchNorm weight in [0.8, 1.2], bias and
 * running mean in [-0.1, 0.1], running variance in [0.5, 1.5], eps 1e-5; the BatchNorm that ends a residual
 * branch has weight in [0.2, 0.5] (so that the sum of sixteen blocks does not grow without bound, the role
 * torchvision's {@code zero_init_residual} plays); the linear layer uniform in {@code ±1/sqrt(in_features)}, as
 * {@code nn.Linear} initialises. One generator, seeded once, draws them all in layer order.
 */
public final class Models {
    /** ImageNet's class count: the classifiers' output size. */
    public static final int CLASSES = 1000;

    private Models() {
    }

    /**
     * torchvision's {@code resnet50()}: the 7x7 stem, a 3x3 max pool, bottleneck stages of 3, 4, 6 and 3 blocks
     * (the stride on the 3x3, as torchvision's "ResNet v1.5"), global average pool and a 2048 -> 1000 linear layer.
     * 25,557,032 parameters.
     */
    public static Network resnet50(long seed) {
        Init init = new Init(seed);
        Network.Builder b = Network.builder("resnet50", 3);
        Network.Value x = convBn(b, init, "conv1", b.input(), ConvSpec.builder(3, 64, 7).stride(2).padding(3).bias(false).build(),
                null, Activation.relu(), false);
        x = b.maxPool("maxpool", x, 3, 2, 1);
        int inplanes = 64;
        int[] blocks = {3, 4, 6, 3};
        for (int stage = 0; stage < blocks.length; stage++) {
            int planes = 64 << stage;
            for (int block = 0; block < blocks[stage]; block++) {
                int stride = block == 0 && stage > 0 ? 2 : 1;
                String p = "layer" + (stage + 1) + "." + block;
                Network.Value h = convBn(b, init, p + ".conv1", x, ConvSpec.builder(inplanes, planes, 1).bias(false).build(),
                        null, Activation.relu(), false);
                h = convBn(b, init, p + ".conv2", h, ConvSpec.builder(planes, planes, 3).stride(stride).padding(1).bias(false).build(),
                        null, Activation.relu(), false);
                Network.Value identity = x;
                if (stride != 1 || inplanes != planes * 4) {
                    identity = convBn(b, init, p + ".downsample.0", x,
                            ConvSpec.builder(inplanes, planes * 4, 1).stride(stride).bias(false).build(), null,
                            Activation.identity(), false);
                }
                x = convBn(b, init, p + ".conv3", h, ConvSpec.builder(planes, planes * 4, 1).bias(false).build(), identity,
                        Activation.relu(), true);
                inplanes = planes * 4;
            }
        }
        x = b.globalAvgPool("avgpool", x);
        x = b.flatten("flatten", x);
        x = linear(b, init, "fc", x, inplanes, CLASSES);
        return b.build(x);
    }

    /**
     * torchvision's {@code mobilenet_v2()} at width 1.0: a 3x3 stride-2 stem, 17 inverted residual blocks
     * (expand 1x1, depthwise 3x3, linear project 1x1; the residual add where stride is 1 and the channels match;
     * ReLU6 after the expand and the depthwise), a 320 -> 1280 1x1, global average pool and a 1280 -> 1000 linear
     * layer (its dropout is the identity in eval mode). 3,504,872 parameters.
     */
    public static Network mobileNetV2(long seed) {
        Init init = new Init(seed);
        Network.Builder b = Network.builder("mobilenet_v2", 3);
        Network.Value x = convBn(b, init, "features.0.0", b.input(), ConvSpec.builder(3, 32, 3).stride(2).padding(1).bias(false).build(),
                null, Activation.relu6(), false);
        int in = 32;
        int feature = 1;
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        for (int[] s : settings) {
            int t = s[0];
            int out = s[1];
            for (int i = 0; i < s[2]; i++, feature++) {
                int stride = i == 0 ? s[3] : 1;
                int hidden = in * t;
                String p = "features." + feature + ".conv.";
                int part = 0;
                Network.Value h = x;
                if (t != 1) {
                    h = convBn(b, init, p + part++ + ".0", h, ConvSpec.builder(in, hidden, 1).bias(false).build(), null,
                            Activation.relu6(), false);
                }
                h = convBn(b, init, p + part++ + ".0", h,
                        ConvSpec.builder(hidden, hidden, 3).stride(stride).padding(1).groups(hidden).bias(false).build(), null,
                        Activation.relu6(), false);
                boolean residual = stride == 1 && in == out;
                x = convBn(b, init, p + part, h, ConvSpec.builder(hidden, out, 1).bias(false).build(), residual ? x : null,
                        Activation.identity(), residual);
                in = out;
            }
        }
        x = convBn(b, init, "features." + feature + ".0", x, ConvSpec.builder(in, 1280, 1).bias(false).build(), null,
                Activation.relu6(), false);
        x = b.globalAvgPool("avgpool", x);
        x = b.flatten("flatten", x);
        x = linear(b, init, "classifier.1", x, 1280, CLASSES);
        return b.build(x);
    }

    private static Network.Value convBn(Network.Builder b, Init init, String name, Network.Value x, ConvSpec spec,
                                        Network.Value residual, Activation activation, boolean endsResidualBranch) {
        int fanIn = spec.reductionLength();
        Tensor weight = init.uniform(Math.sqrt(6.0 / fanIn), spec.weightShape().dims());
        BatchNorm2d bn = init.batchNorm(spec.outChannels(), endsResidualBranch);
        return residual == null ? b.conv(name, x, spec, weight, null, bn, activation)
                : b.conv(name, x, spec, weight, null, bn, residual, activation);
    }

    private static Network.Value linear(Network.Builder b, Init init, String name, Network.Value x, int in, int out) {
        double bound = 1 / Math.sqrt(in);
        Tensor weight = init.uniform(bound, out, in);
        Tensor bias = init.uniform(bound, out);
        return b.linear(name, x, weight, bias);
    }

    /** The one seeded generator of a model's values. */
    private static final class Init {
        private final SplittableRandom random;

        Init(long seed) {
            random = new SplittableRandom(seed);
        }

        /** Uniform in {@code [-bound, bound)}. */
        Tensor uniform(double bound, int... dims) {
            return range(-bound, bound, dims);
        }

        Tensor range(double lo, double hi, int... dims) {
            int size = 1;
            for (int d : dims) {
                size *= d;
            }
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = (float) (lo + (hi - lo) * random.nextDouble());
            }
            return Tensor.of(v, dims);
        }

        BatchNorm2d batchNorm(int channels, boolean endsResidualBranch) {
            Tensor gamma = endsResidualBranch ? range(0.2, 0.5, channels) : range(0.8, 1.2, channels);
            Tensor beta = range(-0.1, 0.1, channels);
            Tensor mean = range(-0.1, 0.1, channels);
            Tensor var = range(0.5, 1.5, channels);
            return BatchNorm2d.of(gamma, beta, mean, var, 1e-5);
        }
    }
}
