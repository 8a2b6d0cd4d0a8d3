package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Shape;

import java.io.Serializable;

/**
 * What the driver broadcasts: a network's layers and weights, as plain serializable data. Each executor JVM
 * builds an {@link ImageNetwork} from it once per engine ({@link PlanCache}), which packs the weights into
 * plans; the definition itself holds no plans, threads or buffers.
 */
public interface NetworkDefinition extends Serializable {

    /** A short name for logs and errors, such as {@code cnn-5} or {@code mobilenet_v2}. */
    String name();

    /** The shape of one input image: {@code [channels, height, width]}. */
    Shape imageShape();

    /** How many floats the network gives per image. */
    int outputSize();

    /** Plans every layer on {@code engine} (whose thread count each call will use). */
    ImageNetwork build(Conv2d engine);

    /** Multiply-adds x 2 for one image: the network's arithmetic, for throughput figures. */
    long flopsPerImage();
}
