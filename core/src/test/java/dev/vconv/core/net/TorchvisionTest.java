package dev.vconv.core.net;

import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Models}' networks against torchvision's own: the parameter count, every convolution's and the linear
 * layer's output shape at 224x224, and the logits of the same weights on the same input, all recorded by
 * {@code core/src/test/scripts/torchvision_networks.py} (torchvision 0.14.1, torch 1.13.1, Debian's packages) from
 * {@link TorchvisionExport}'s files. The logits check the architecture where counts and shapes cannot (the stride
 * on the 3x3 of ResNet-50's bottleneck, MobileNetV2's residual adds, ReLU6 against ReLU, the BatchNorm order).
 */
class TorchvisionTest {
    static final long MODEL_SEED = 19;
    static final long INPUT_SEED = 20;

    static Network model(String name) {
        return switch (name) {
            case "resnet50" -> Models.resnet50(MODEL_SEED);
            case "mobilenet_v2" -> Models.mobileNetV2(MODEL_SEED);
            default -> throw new IllegalArgumentException("model must be resnet50 or mobilenet_v2, but got '" + name + "'");
        };
    }

    /** Two 64x64 images: small enough for the scalar engine in a test, large enough for every layer of both networks. */
    static Tensor input() {
        return Tensor.random(INPUT_SEED, 2, 3, 64, 64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "mobilenet_v2"})
    void parameterCountIsTorchvisions(String name) throws IOException {
        Recorded torch = Recorded.read(name);
        assertEquals(torch.params, model(name).parameterCount());
        assertEquals(name.equals("resnet50") ? 25_557_032L : 3_504_872L, torch.params);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "mobilenet_v2"})
    void layerShapesAt224AreTorchvisions(String name) throws IOException {
        Recorded torch = Recorded.read(name);
        Network network = model(name);
        List<Shape> shapes = network.shapes(Shape.of(1, 3, 224, 224));
        Map<String, Shape> ours = new LinkedHashMap<>();
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            if (layer instanceof Layer.Conv || layer instanceof Layer.Linear) {
                ours.put(layer.name(), shapes.get(i + 1));
            }
        }
        assertEquals(torch.shapes, ours);
        assertEquals(name.equals("resnet50") ? 54 : 53, ours.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "mobilenet_v2"})
    void logitsAreTorchvisions(String name) throws IOException {
        Recorded torch = Recorded.read(name);
        Tensor input = input();
        assertEquals(torch.inputShape, input.shape());
        Tensor logits = model(name).plan(Engines.scalar(), input.shape()).forward(input);
        assertEquals(Shape.of(2, Models.CLASSES), logits.shape());
        double largest = 0;
        for (float v : torch.logits) {
            largest = Math.max(largest, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < torch.logits.length; i++) {
            double err = Math.abs(logits.data()[i] - torch.logits[i]);
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertTrue(worst <= 1e-4 * largest, name + ": logit " + at + " is " + (at < 0 ? "-" : logits.data()[at])
                + ", torchvision's " + (at < 0 ? "-" : torch.logits[at]) + ": off by " + worst + ", more than 1e-4 of the largest "
                + largest);
    }

    /** One file of {@code torchvision_networks.py}. */
    record Recorded(long params, Map<String, Shape> shapes, Shape inputShape, float[] logits) {
        static Recorded read(String model) throws IOException {
            String text;
            try (InputStream in = TorchvisionTest.class.getResourceAsStream("torchvision-" + model + ".txt")) {
                if (in == null) {
                    throw new IOException("missing test resource torchvision-" + model + ".txt");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long params = -1;
            Map<String, Shape> shapes = new HashMap<>();
            Shape inputShape = null;
            float[] logits = null;
            for (String line : text.split("\n")) {
                String[] p = line.trim().split(" ");
                switch (p[0]) {
                    case "params" -> params = Long.parseLong(p[1]);
                    case "shape" -> shapes.put(p[1], Shape.of(Arrays.stream(p, 2, p.length).mapToInt(Integer::parseInt).toArray()));
                    case "input" -> {
                        assertEquals(INPUT_SEED, Long.parseLong(p[1]), "the recorded input's seed");
                        inputShape = Shape.of(Arrays.stream(p, 2, p.length).mapToInt(Integer::parseInt).toArray());
                    }
                    case "model" -> assertEquals(MODEL_SEED, Long.parseLong(p[2]), "the recorded model's seed");
                    case "logits" -> {
                        logits = new float[p.length - 1];
                        for (int i = 1; i < p.length; i++) {
                            logits[i - 1] = Float.parseFloat(p[i]);
                        }
                    }
                    default -> { }
                }
            }
            return new Recorded(params, shapes, inputShape, logits);
        }
    }
}
