package dev.vconv.bench.ort;

import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Models;
import dev.vconv.core.net.Network;
import dev.vconv.simd.SimdEngines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX graph of a network ({@link OnnxNetworkModel}) run by ONNX Runtime gives vconv's logits: within 1e-3 of
 * the largest logit, for both models at batch 1 and 8 on 224x224 images, the check the {@code network} command
 * makes before it times anything.
 */
class OrtNetworkTest {

    @ParameterizedTest
    @CsvSource({"resnet50, 1", "resnet50, 8", "mobilenet_v2, 1", "mobilenet_v2, 8"})
    void ortAgreesWithVconv(String model, int batch) throws Exception {
        Network network = model.equals("resnet50") ? Models.resnet50(19) : Models.mobileNetV2(19);
        Tensor input = Tensor.random(20, batch, 3, 224, 224);
        Tensor ours = network.plan(SimdEngines.simd().withThreads(2), input.shape()).forward(input);
        float[] theirs;
        try (OrtNetwork ort = OrtNetwork.create(network, input, 2)) {
            ort.run();
            theirs = ort.outputValues();
        }
        assertEquals(Shape.of(batch, Models.CLASSES), ours.shape());
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < theirs.length; i++) {
            largest = Math.max(largest, Math.abs(theirs[i]));
            worst = Math.max(worst, Math.abs(theirs[i] - ours.data()[i]));
        }
        assertTrue(largest > 1, "logits of a sane scale: " + largest);
        assertTrue(worst <= 1e-3 * largest, model + " batch " + batch + ": vconv and ONNX Runtime differ by " + worst
                + ", more than 1e-3 of the largest logit " + largest);
    }
}
