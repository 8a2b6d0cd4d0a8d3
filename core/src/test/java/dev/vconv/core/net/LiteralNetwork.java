package dev.vconv.core.net;

import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A network run the way PyTorch's eval mode reads, one op at a time and nothing folded or fused: the convolution
 * with its own weight on {@code engine}, then the BatchNorm {@code (y - mean) / sqrt(var + eps) * weight + bias}
 * in double, then the residual add, then the activation; max pool over the window with -inf padding, average pool
 * and linear layer as textbook loops in double. Every value is kept, so tests can look at any of them. The
 * independent check of {@link NetworkPlan}'s folding, fusing and array reuse.
 */
final class LiteralNetwork {

    private LiteralNetwork() {
    }

    /** Every value of {@code network} on {@code input}: index 0 the input, {@code i + 1} layer {@code i}'s output. */
    static List<Tensor> run(Network network, Conv2d engine, Tensor input) {
        List<Tensor> values = new ArrayList<>();
        values.add(input);
        for (Layer layer : network.layers()) {
            Tensor x = values.get(layer.input());
            values.add(switch (layer) {
                case Layer.Conv conv -> conv(conv, engine, x, conv.residual() < 0 ? null : values.get(conv.residual()));
                case Layer.MaxPool pool -> maxPool(pool, x);
                case Layer.GlobalAvgPool pool -> avgPool(x);
                case Layer.Flatten flatten -> Tensor.of(x.data(), flatten.outputShape(x.shape()));
                case Layer.Linear linear -> linear(linear, x);
            });
        }
        return values;
    }

    /** The network's output on {@code input}. */
    static Tensor output(Network network, Conv2d engine, Tensor input) {
        return run(network, engine, input).get(network.output());
    }

    private static Tensor conv(Layer.Conv conv, Conv2d engine, Tensor x, Tensor residual) {
        Tensor y = engine.forward(conv.spec(), x, conv.weight(), conv.bias());
        float[] v = y.data();
        int channels = y.dim(1);
        int plane = y.dim(2) * y.dim(3);
        BatchNorm2d bn = conv.batchNorm();
        float[] mean = bn == null ? null : bn.runningMean().data();
        float[] var = bn == null ? null : bn.runningVar().data();
        float[] gamma = bn == null ? null : bn.gamma().data();
        float[] beta = bn == null ? null : bn.beta().data();
        for (int i = 0; i < v.length; i++) {
            int c = (i / plane) % channels;
            float z = v[i];
            if (bn != null) {
                z = (float) ((z - mean[c]) / Math.sqrt(var[c] + bn.eps()) * gamma[c] + beta[c]);
            }
            if (residual != null) {
                z += residual.data()[i];
            }
            v[i] = conv.activation().apply(z);
        }
        return y;
    }

    private static Tensor maxPool(Layer.MaxPool pool, Tensor x) {
        Shape os = pool.outputShape(x.shape());
        Tensor y = Tensor.zeros(os);
        int h = x.dim(2);
        int w = x.dim(3);
        int i = 0;
        for (int nc = 0; nc < os.dim(0) * os.dim(1); nc++) {
            for (int oy = 0; oy < os.dim(2); oy++) {
                for (int ox = 0; ox < os.dim(3); ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < pool.kernel(); ky++) {
                        for (int kx = 0; kx < pool.kernel(); kx++) {
                            int iy = oy * pool.stride() - pool.padding() + ky;
                            int ix = ox * pool.stride() - pool.padding() + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                float v = x.data()[(nc * h + iy) * w + ix];
                                if (v > m || Float.isNaN(v)) {     // PyTorch's max_pool2d: NaN wins
                                    m = v;
                                }
                            }
                        }
                    }
                    y.data()[i++] = m;
                }
            }
        }
        return y;
    }

    private static Tensor avgPool(Tensor x) {
        int planes = x.dim(0) * x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1), 1, 1);
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < hw; i++) {
                sum += x.data()[p * hw + i];
            }
            y.data()[p] = (float) (sum / hw);
        }
        return y;
    }

    private static Tensor linear(Layer.Linear linear, Tensor x) {
        int n = x.dim(0);
        int in = linear.inFeatures();
        int out = linear.outFeatures();
        Tensor y = Tensor.zeros(n, out);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double sum = linear.bias() == null ? 0 : linear.bias().data()[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) x.data()[b * in + i] * linear.weight().data()[o * in + i];
                }
                y.data()[b * out + o] = (float) sum;
            }
        }
        return y;
    }
}
