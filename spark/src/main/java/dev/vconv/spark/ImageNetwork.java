package dev.vconv.spark;

import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

/**
 * A network ready to run on one JVM: images in, a vector of floats per image out. This is what a Spark task
 * calls; {@link NetworkDefinition#build} makes one from broadcast weights, once per executor JVM
 * ({@link PlanCache}).
 *
 * <p>The contract the Spark job relies on:
 * <ul>
 *   <li>{@link #forward} is safe to call from several threads at once (one per running task);</li>
 *   <li>an image's output depends on that image alone, bit for bit: not on the batch size, nor on the
 *       image's position in the batch, nor on the other images. That is what makes the distributed result
 *       independent of how rows fall into partitions and batches ({@code NetworkContractTest} checks it).</li>
 * </ul>
 */
public interface ImageNetwork {

    /** The shape of one image: {@code [channels, height, width]}. */
    Shape imageShape();

    /** How many floats the network gives per image. */
    int outputSize();

    /**
     * Runs the network on {@code images} ({@code [n, channels, height, width]}, NCHW) and writes
     * {@code n * outputSize()} floats into {@code output}, image {@code i}'s from {@code i * outputSize()}.
     * Does not modify {@code images}.
     */
    void forward(Tensor images, float[] output);
}
