package dev.vconv.simd.path;

import dev.vconv.core.Epilogue;
import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.kernel.EpilogueKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.PlanDecision;

/**
 * One path's way of running a convolution that the planner has decided ({@link PlanDecision}): it owns the path's
 * prepared state (packed weights, tables) and its per-thread workspaces, and runs a call on the calling thread and
 * the plan's pool ({@link WorkerPool#parallelize}). Made once per plan; a call allocates nothing. May run calls
 * from several threads at once.
 */
public sealed interface PathRunner
        permits PackedGemmRunner, ImplicitGemmRunner, PointwiseRunner, PixelRowsRunner, DepthwiseRunner, WinogradRunner {

    /**
     * Computes the convolution of {@code x} (the plan's input shape) into {@code y} (its output shape), finishing each
     * output element with the plan's epilogue as it is stored; {@code r} is the residual (the output's shape, and
     * possibly {@code y} itself), or null where the epilogue adds none.
     */
    void run(float[] x, float[] y, float[] r);

    /** What every runner of a plan shares: the layer, its bias, its fused epilogue, and the threads' pool. */
    record Layer(dev.vconv.core.ConvSpec spec, dev.vconv.core.Nchw in, int hout, int wout, float[] bias, Epilogue epilogue,
                 VectorWidth width, WorkerPool pool) {

        /**
         * The epilogue from {@code src} into {@code dst}, {@code n} elements: {@code dst[d + i] = act(src[s + i] +
         * alpha * r[ro + i])}, or a plain copy without an epilogue ({@link EpilogueKernel}; {@code dst} may be
         * {@code src} or {@code r} at the same offset).
         */
        void apply(float[] src, int s, float[] r, int ro, float[] dst, int d, int n) {
            apply(src, s, 0, r, ro, 0, dst, d, 0, 1, n);
        }

        /**
         * {@link #apply(float[], int, float[], int, float[], int, int)} on {@code rows} rows of {@code n} elements,
         * each operand's rows {@code lds}, {@code ldr}, {@code ldd} floats apart: one call, one pass.
         */
        void apply(float[] src, int s, int lds, float[] r, int ro, int ldr, float[] dst, int d, int ldd, int rows, int n) {
            if (epilogue.isNone()) {
                for (int q = 0; q < rows; q++) {
                    if (src != dst || s + q * lds != d + q * ldd) {
                        System.arraycopy(src, s + q * lds, dst, d + q * ldd, n);
                    }
                }
                return;
            }
            width.epilogue.apply(epilogue.activation(), epilogue.alpha(), src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
        }

        /** Output pixels of one output channel: {@code hout * wout}. */
        int p() {
            return hout * wout;
        }

        /** Floats of one output image. */
        int outputImageSize() {
            return spec.outChannels() * p();
        }

        /**
         * Builds plane rows {@code [rowFrom, rowTo)} of input channels {@code [from, to)} of image {@code n} of
         * {@code x} into {@code copy}, a copy of {@code planes}' geometry ({@link PhasePlanes#build}).
         */
        void build(PhasePlanes planes, float[] x, int n, int from, int to, float[] copy, int rowFrom, int rowTo) {
            planes.build(spec, in, width.split, x, n, from, to, copy, rowFrom, rowTo);
        }

        /** The bias of output channel {@code oc}, or 0 without bias. */
        float bias(int oc) {
            return bias == null ? 0f : bias[oc];
        }

        /**
         * The bias of every channel of every group's panels of {@code mr} channels, zero past the group's channels
         * or without bias: what the indirect and pixel-rows tiles start from.
         */
        float[] panelBias(int panels, int mr) {
            int coutG = spec.outChannelsPerGroup();
            float[] rows = new float[spec.groups() * panels * mr];
            for (int g = 0; g < spec.groups() && bias != null; g++) {
                System.arraycopy(bias, g * coutG, rows, g * panels * mr, coutG);
            }
            return rows;
        }
    }
}
