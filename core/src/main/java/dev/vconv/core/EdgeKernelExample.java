package dev.vconv.core;

import java.io.PrintStream;

/**
 * The textbook ending of convolution: learn a kernel by gradient descent. The image is 6x8 ones with
 * columns 2..5 zero; its edge map is the convolution with {@code [[1, -1]]}. Starting from a random 1x2
 * kernel, squared loss summed over the map, plain SGD with learning rate 3e-2 for 100 epochs recovers
 * {@code [1, -1]}.
 *
 * <p>Run: {@code ./mvnw -q -pl core -DskipTests compile exec:exec -Dexec.skip=false -Dexec.executable=java
 * -Dexec.args="-cp %classpath dev.vconv.core.EdgeKernelExample"} (see README).
 */
public final class EdgeKernelExample {

    private EdgeKernelExample() {
    }

    /** The 6x8 image: ones, with columns 2..5 zero. */
    public static Tensor image() {
        float[] x = new float[6 * 8];
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 8; c++) {
                x[r * 8 + c] = (c >= 2 && c <= 5) ? 0 : 1;
            }
        }
        return Tensor.of(x, 1, 1, 6, 8);
    }

    /** Learns the 1x2 kernel; prints the loss every 10 epochs to {@code log}; returns the learned kernel. */
    public static float[] learn(int epochs, float learningRate, long seed, PrintStream log) {
        ConvSpec spec = ConvSpec.builder(1, 1, 1, 2).bias(false).build();
        Tensor x = image();
        Tensor target = Engines.reference().forward(spec, x, Tensor.of(new float[] {1, -1}, 1, 1, 1, 2), null);
        Conv2dLayer layer = new Conv2dLayer(spec, seed);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Tensor y = layer.forward(x);
            float[] grad = new float[y.size()];
            double loss = 0;
            for (int i = 0; i < grad.length; i++) {
                float diff = y.data()[i] - target.data()[i];
                loss += (double) diff * diff;
                grad[i] = 2 * diff; // d/dy of (y - target)^2
            }
            layer.sgdStep(layer.backward(Tensor.of(grad, y.shape())), learningRate);
            if (epoch % 10 == 0) {
                log.printf("epoch %3d, loss %.6f%n", epoch, loss);
            }
        }
        float[] kernel = layer.weight().data().clone();
        log.printf("learned kernel: [%.5f, %.5f]%n", kernel[0], kernel[1]);
        return kernel;
    }

    public static void main(String[] args) {
        learn(100, 3e-2f, 0, System.out);
    }
}
