package dev.vconv.core;

/**
 * A service that offers a faster engine than the scalar one (the {@code simd} module provides one).
 * {@link Engines#best()} asks every provider found by {@link java.util.ServiceLoader} and takes the first
 * one that is usable on this JVM.
 */
public interface Conv2dProvider {

    /** The provider's best engine on this JVM, or {@code null} when it cannot run here. */
    Conv2d engine();
}
