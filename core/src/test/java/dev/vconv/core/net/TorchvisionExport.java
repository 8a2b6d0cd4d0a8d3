package dev.vconv.core.net;

import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Tensor;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link Models} network's parameters (unfolded: convolution weight, BatchNorm weight, bias, running mean
 * and variance) and a seeded input for {@code core/src/test/scripts/torchvision_networks.py}, which loads them into
 * torchvision's model and records its logits for {@link TorchvisionTest}. Not run by the build.
 *
 * <pre>java -cp core/target/classes:core/target/test-classes dev.vconv.core.net.TorchvisionExport resnet50|mobilenet_v2 DIR</pre>
 *
 * {@code DIR/index.txt} lists one line per layer ({@code conv NAME BN BIAS} or {@code linear NAME}) and the input's
 * shape and seeds; {@code DIR/params.bin} and {@code DIR/input.bin} hold the values as little-endian float32, in
 * that order.
 */
public final class TorchvisionExport {

    private TorchvisionExport() {
    }

    public static void main(String[] args) throws IOException {
        Network network = TorchvisionTest.model(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        try (PrintWriter index = new PrintWriter(Files.newBufferedWriter(dir.resolve("index.txt")));
             OutputStream params = Files.newOutputStream(dir.resolve("params.bin"))) {
            index.println("model " + args[0] + " " + TorchvisionTest.MODEL_SEED);
            for (Layer layer : network.layers()) {
                if (layer instanceof Layer.Conv conv) {
                    index.println("conv " + conv.name() + " " + (conv.batchNorm() != null) + " " + (conv.bias() != null));
                    write(params, conv.weight());
                    if (conv.bias() != null) {
                        write(params, conv.bias());
                    }
                    if (conv.batchNorm() != null) {
                        BatchNorm2d bn = conv.batchNorm();
                        write(params, bn.gamma());
                        write(params, bn.beta());
                        write(params, bn.runningMean());
                        write(params, bn.runningVar());
                        index.println("eps " + bn.eps());
                    }
                } else if (layer instanceof Layer.Linear linear) {
                    index.println("linear " + linear.name());
                    write(params, linear.weight());
                    write(params, linear.bias());
                }
            }
            Tensor input = TorchvisionTest.input();
            index.println("input " + TorchvisionTest.INPUT_SEED + " " + input.shape().toString().replaceAll("[\\[\\],]", ""));
            try (OutputStream in = Files.newOutputStream(dir.resolve("input.bin"))) {
                write(in, input);
            }
        }
    }

    private static void write(OutputStream out, Tensor t) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(t.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(t.data());
        new DataOutputStream(out).write(buffer.array());
    }
}
