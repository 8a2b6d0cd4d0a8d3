package dev.vconv.bench.network;

import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Models;
import dev.vconv.core.net.Network;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The networks the {@code network} command, {@code NetworkBench} and the report measure: torchvision's ResNet-50
 * and MobileNetV2 from {@link Models}, seeded, on seeded 224x224 images. The same seeds everywhere, so every tool
 * times the same weights and inputs.
 */
public enum NetworkModel {
    resnet50(Models::resnet50),
    mobilenetv2(Models::mobileNetV2);

    /** The seed of the weights and BatchNorm statistics. */
    public static final long WEIGHT_SEED = 19;
    /** The seed of the input images. */
    public static final long INPUT_SEED = 20;
    /** The image side: 224x224, as torchvision's models are benchmarked. */
    public static final int SIZE = 224;

    private final LongFunction<Network> builder;

    NetworkModel(LongFunction<Network> builder) {
        this.builder = builder;
    }

    /** The network with {@link #WEIGHT_SEED}'s weights. */
    public Network network() {
        return builder.apply(WEIGHT_SEED);
    }

    /** {@code [batch, 3, 224, 224]}. */
    public static Shape inputShape(int batch) {
        return Shape.of(batch, 3, SIZE, SIZE);
    }

    /** Seeded images in [-1, 1), {@code [batch, 3, 224, 224]}. */
    public static Tensor input(int batch) {
        return Tensor.random(INPUT_SEED, inputShape(batch).dims());
    }

    /** The model named {@code name} (case-insensitive; {@code mobilenet_v2} is accepted for mobilenetv2). */
    public static NetworkModel of(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("_", "");
        for (NetworkModel m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--model must be one of " + Arrays.toString(values()) + ", but got '" + name + "'");
    }

    /**
     * How far apart two sets of logits are: the largest absolute difference over the largest absolute value of
     * {@code reference}, the measure of the 1e-3 agreement check.
     */
    public static double relativeDifference(float[] reference, float[] other) {
        if (reference.length != other.length) {
            throw new IllegalArgumentException("logits of different sizes: " + reference.length + " and " + other.length);
        }
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            largest = Math.max(largest, Math.abs(reference[i]));
            double d = Math.abs((double) reference[i] - other[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst / largest;
    }

    /** The agreement the {@code network} command and {@code NetworkBench} require before timing. */
    public static final double TOLERANCE = 1e-3;
}
