package dev.vconv.spark;

import dev.vconv.core.Tensor;
import dev.vconv.core.net.Models;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core's MobileNetV2 as a broadcastable definition: serialized with its weights, cut at a layer, same bits. */
class NetworkGraphTest {
    static final int SIZE = 64;
    static final NetworkGraph MOBILENET = NetworkGraph.mobileNetV2Features(3, SIZE);

    static float[] forward(ImageNetwork net, float[] images, int n) {
        float[] out = new float[n * net.outputSize()];
        net.forward(Tensor.of(images, n, 3, SIZE, SIZE), out);
        return out;
    }

    static NetworkDefinition roundTrip(NetworkDefinition definition) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(definition);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (NetworkDefinition) in.readObject();
        }
    }

    @Test
    void mobileNetV2FeaturesAreThePooled1280() {
        assertEquals(1280, MOBILENET.outputSize());
        assertEquals("[3, 64, 64]", MOBILENET.imageShape().toString());
        assertEquals(Models.mobileNetV2(3).layers().size() - 1, MOBILENET.network().layers().size(), "all but the classifier");
        assertEquals("flatten", MOBILENET.network().layers().getLast().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkGraph.features(Models.mobileNetV2(3), "pool5", SIZE, SIZE));
        assertTrue(e.getMessage().startsWith("layer 'pool5' is not a layer of network 'mobilenet_v2'"), e.getMessage());
    }

    @Test
    void theSerializedDefinitionCarriesTheWeightsAndGivesTheSameBits() throws Exception {
        NetworkDefinition copy = roundTrip(MOBILENET);
        assertEquals(MOBILENET.toString(), copy.toString());
        assertEquals(MOBILENET.flopsPerImage(), copy.flopsPerImage());
        float[] images = Tensor.random(5, 2, 3, SIZE, SIZE).data();
        float[] expected = forward(MOBILENET.build(PlanCache.engine(1)), images, 2);
        float[] actual = forward(copy.build(PlanCache.engine(1)), images, 2);
        assertArrayEquals(expected, actual);
        assertFalse(Arrays.equals(Arrays.copyOfRange(expected, 0, 1280), Arrays.copyOfRange(expected, 1280, 2560)),
                "two images, two feature vectors");
        // Another seed gives other weights: the bits above come from the serialized weights, not from a seed.
        float[] other = forward(roundTrip(NetworkGraph.mobileNetV2Features(4, SIZE)).build(PlanCache.engine(1)), images, 2);
        assertFalse(Arrays.equals(expected, other));
    }

    @Test
    void eachImageHasTheSameBitsAloneAndInABatch() {
        ImageNetwork net = MOBILENET.build(PlanCache.engine(1));
        int n = 5;
        int size = 3 * SIZE * SIZE;
        float[] batch = Tensor.random(6, n, 3, SIZE, SIZE).data();
        float[] together = forward(net, batch, n);
        for (int i = 0; i < n; i++) {
            float[] alone = forward(net, Arrays.copyOfRange(batch, i * size, (i + 1) * size), 1);
            assertArrayEquals(alone, Arrays.copyOfRange(together, i * 1280, (i + 1) * 1280), "image " + i + " of " + n);
        }
        assertArrayEquals(together, forward(MOBILENET.build(PlanCache.engine(2)), batch, n), "2 threads against 1");
    }
}
