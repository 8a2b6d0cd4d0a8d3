package dev.vconv.simd;

import dev.vconv.core.Conv2d;

/**
 * What {@link SimdEngines#best()} picks in this JVM, for {@link BestEngineFallbackTest}'s child JVMs: prints
 * {@code why=} the reason it does not use SIMD ({@code null} when it does), then {@code best=} the engine's
 * name twice ({@code best()} is asked twice, so its warning must appear once), whether both are the same
 * engine, and {@code simd=} what {@link SimdEngines#simd()} gives: the engine's name or the exception it throws.
 */
public final class BestEngineMain {
    private BestEngineMain() {
    }

    public static void main(String[] args) {
        System.out.println("why=" + SimdEngines.whyNotSimd());
        Conv2d first = SimdEngines.best();
        Conv2d second = SimdEngines.best();
        System.out.println("best=" + first.name());
        System.out.println("best=" + second.name());
        System.out.println("same=" + (first == second));
        String simd;
        try {
            simd = SimdEngines.simd().name();
        } catch (Throwable e) {
            simd = e.getClass().getName() + ": " + e.getMessage();
        }
        System.out.println("simd=" + simd);
    }
}
