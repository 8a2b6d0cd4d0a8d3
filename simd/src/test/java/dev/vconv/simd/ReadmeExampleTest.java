package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's block example (conv + BatchNorm + ReLU with a residual, the BatchNorm folded and the add and ReLU
 * fused) is this class's {@link #example()}, line for line, and computes what it says: the same as the unfused
 * reference (convolution, then BatchNorm, the add and ReLU one at a time), and bit for bit the same engine's plain
 * convolution followed by the epilogue.
 */
class ReadmeExampleTest {

    private static final Path README = Path.of("../README.md");
    private static final Path SOURCE = Path.of("src/test/java/dev/vconv/simd/ReadmeExampleTest.java");
    /** The README line after which the example's code block starts. */
    private static final String README_MARKER = "<!-- the block below is ReadmeExampleTest.example(), checked by that test -->";

    /** What the example makes, for the assertions. */
    record Result(Tensor x, ConvSpec spec, Tensor weight, BatchNorm2d bn, BatchNorm2d.Folded folded, Epilogue epilogue,
                  Conv2d engine, Tensor y) {
    }

    static Result example() {
        // README begin
        int c = 64;
        Tensor x = Tensor.random(1, 1, c, 56, 56);                     // input [n, c, h, w], seeded
        ConvSpec spec = ConvSpec.builder(c, c, 3).padding(1).bias(false).build();  // BN follows
        Tensor weight = Tensor.random(2, c, c, 3, 3);
        float[] var = new float[c];
        java.util.Arrays.fill(var, 1f);
        BatchNorm2d bn = BatchNorm2d.of(Tensor.random(3, c), Tensor.random(4, c),   // gamma, beta,
                Tensor.random(5, c), Tensor.of(var, c), 1e-5);                    // running mean, var, eps
        BatchNorm2d.Folded folded = bn.fold(spec, weight, null);       // torch's fuse_conv_bn_weights
        Epilogue epilogue = Epilogue.of(Activation.relu()).withResidual();  // relu(conv + bias + residual)
        Conv2d engine = Engines.best();                                // simd with the Vector API, else scalar
        Conv2dPlan block = engine.plan(folded.spec(), x.shape(), folded.weight(), folded.bias(), epilogue);
        Tensor y = Tensor.zeros(block.outputShape());
        block.forward(x, x, y);                                        // y = relu(bn(conv(x)) + x), one pass
        // README end
        return new Result(x, spec, weight, bn, folded, epilogue, engine, y);
    }

    @Test
    void theReadmeShowsThisCode() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int marker = readme.indexOf(README_MARKER);
        assertTrue(marker >= 0, "README.md has no line '" + README_MARKER + "'");
        assertEquals("```java", readme.get(marker + 1), "README.md: the example's code block must follow the marker line");
        List<String> block = new ArrayList<>();
        for (int i = marker + 2; !readme.get(i).equals("```"); i++) {
            String line = readme.get(i).strip();
            if (!line.startsWith("import ") && !(line.isEmpty() && block.isEmpty())) {
                block.add(line);
            }
        }
        List<String> source = Files.readAllLines(SOURCE);
        List<String> code = new ArrayList<>();
        boolean in = false;
        for (String line : source) {
            if (line.strip().equals("// README end")) {
                break;
            }
            if (in) {
                code.add(line.strip());
            }
            in |= line.strip().equals("// README begin");
        }
        assertTrue(code.size() >= 10, "no example between the README markers in " + SOURCE);
        assertEquals(code, block, "README.md's example and ReadmeExampleTest.example() differ: change both");
    }

    @Test
    void theExampleIsTheUnfusedBlock() {
        Result r = example();
        assertInstanceOf(SimdConv2d.class, r.engine(), "the test JVM has the Vector API: Engines.best() is the SIMD engine");
        float[] y = r.y().data();
        float[] x = r.x().data();

        // Bit for bit: the same engine's plain convolution with the folded weights, then the epilogue element by element.
        Tensor plain = r.engine().forward(r.folded().spec(), r.x(), r.folded().weight(), r.folded().bias());
        for (int i = 0; i < y.length; i++) {
            float expected = r.epilogue().apply(plain.data()[i], x[i]);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(y[i]),
                    "element " + i + ": fused " + y[i] + ", plain then epilogue " + expected);
        }

        // The unfused block on the reference engine: convolution, BatchNorm (in double), add, ReLU, one at a time.
        Tensor conv = Engines.reference().forward(r.spec(), r.x(), r.weight(), null);
        float[] gamma = r.bn().gamma().data();
        float[] beta = r.bn().beta().data();
        float[] mean = r.bn().runningMean().data();
        float[] var = r.bn().runningVar().data();
        int c = r.spec().outChannels();
        int plane = y.length / c;
        int zeros = 0;
        double largest = 0;
        for (int i = 0; i < y.length; i++) {
            int ch = i / plane;
            double bn = (conv.data()[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * gamma[ch] + beta[ch];
            double expected = Math.max(0, bn + x[i]);
            // K = 576 products of values in [-1, 1): float sums differ from double ones by far less than 1e-3.
            assertEquals(expected, y[i], 1e-3 * Math.max(1, Math.abs(expected)), "element " + i);
            zeros += y[i] == 0 ? 1 : 0;
            largest = Math.max(largest, y[i]);
        }
        // The ReLU clips a real share and leaves the rest: the example is not all zeros or all positive.
        assertTrue(zeros > y.length / 10 && zeros < y.length * 9 / 10, zeros + " zeros of " + y.length);
        assertTrue(largest > 1, "largest output " + largest);
    }
}
