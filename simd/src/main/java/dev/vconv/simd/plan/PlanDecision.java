package dev.vconv.simd.plan;

import dev.vconv.simd.ConvPlan;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.layout.Packing;
import dev.vconv.simd.layout.PhasePlanes;

/**
 * Everything the planner decides for one convolution on one input shape, at one vector width and thread count:
 * the path, its kernel and blocking, where its operands come from, how a call is cut into tasks and on how many
 * threads they run, and why. One record per path, holding what that path needs and nothing else; the
 * {@link ConvPlan} runs it and decides nothing again. Made by {@link ConvPlanner#plan}; tests build one for a path
 * of their choice with {@link ConvPlanner#plan(Path, dev.vconv.core.ConvSpec, dev.vconv.core.Shape, VectorWidth, int)}.
 *
 * <p>{@link #tasks()} counts the tasks of one call on the packed GEMM and depthwise paths, and of one image on the
 * others (whose calls go image by image, after the {@code wholeImages} that go to the threads one image a task).
 */
public sealed interface PlanDecision {

    Path path();

    VectorWidth width();

    /** Tasks per call (packed GEMM, depthwise) or per image (the other paths). */
    int tasks();

    /** Threads a call uses: at most the engine's count, fewer for small convolutions or few tasks. */
    int threads();

    /** Where the im2col operand (or the depthwise kernel's input) comes from. */
    Source source();

    /** Why the planner took this path, with the costs it compared. */
    String reason();

    /** Where the path reads its im2col operand (B; A on the pixel-rows path), or the depthwise kernel its input. */
    enum Source {
        /** Packed into micro-kernel panels per block, im2col fused into the packing ({@link Packing#packIm2col}). */
        PACKED,
        /** The padded, stride-phase-split copy of the input ({@link PhasePlanes}). */
        PHASE_PLANES,
        /** The input itself, read in place. */
        INPUT,
        /** Winograd's input transform of the input's padded rows, written as the GEMMs' B rows per block of tiles. */
        TRANSFORMED
    }

    /**
     * How the implicit GEMM shares its phase planes among threads: one copy per call that all threads build channel
     * by channel, then read ({@code SHARED}); each thread's own copy of the rows its tasks read, on few threads with
     * enough work per plane element ({@code PRIVATE}); or tasks of whole groups, each building its group's planes
     * ({@code GROUPS}).
     */
    enum Copies { SHARED, PRIVATE, GROUPS }

    /**
     * The packed GEMM: the BLIS loops with {@code kernel}'s panels, in cache blocks of {@code blocking}. A task is
     * a column block of {@code blocking.nc()} columns of one group of one image for one of {@code panelSplits}
     * ranges of output-channel panels; {@code tasks = n * groups * columnBlocks * panelSplits}, all in one stage.
     */
    record PackedGemm(VectorWidth width, GemmKernel kernel, VectorWidth.Blocking blocking, int columnBlocks, int panelSplits,
                      int tasks, int threads, String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.PACKED_GEMM;
        }

        @Override
        public Source source() {
            return Source.PACKED;
        }
    }

    /**
     * The implicit GEMM on the phase planes of {@code planes}: a task is a column block of one group for one of
     * {@code panelSplits} ranges of output-channel panels ({@code tasks} per image), or a whole group
     * ({@link Copies#GROUPS}).
     */
    record ImplicitGemm(VectorWidth width, GemmKernel kernel, PhasePlanes planes, int panelSplits, int tasks, int wholeImages,
                        Copies copies, int threads, String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.IMPLICIT_GEMM;
        }

        @Override
        public Source source() {
            return Source.PHASE_PLANES;
        }
    }

    /**
     * The implicit GEMM on the input itself (a 1x1 kernel at stride 1 without padding, where the planes of
     * {@code geometry} are the input): tasks as {@link ImplicitGemm}'s.
     */
    record Pointwise(VectorWidth width, GemmKernel kernel, PhasePlanes geometry, int panelSplits, int tasks, int wholeImages,
                     int threads, String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.POINTWISE;
        }

        @Override
        public Source source() {
            return Source.INPUT;
        }
    }

    /**
     * Output pixels as rows: {@code kernel}'s rows are pixels, its vector columns output channels; {@code im2col^T}
     * from {@code source} (the phase planes of {@code planes}, the input, or packed per reduction block of
     * {@code blocking.kc()} into a shared buffer of {@code packedSize} floats). A task is one output-channel panel
     * of one group for one of {@code pixelSplits} ranges of pixel panels, {@code tasks} per image. With
     * {@code privatePlanes}, each thread builds the plane rows its tasks read.
     */
    record PixelRows(VectorWidth width, GemmKernel kernel, VectorWidth.Blocking blocking, Source source, PhasePlanes planes,
                     int packedSize, int pixelSplits, int tasks, int wholeImages, boolean privatePlanes, int threads,
                     String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.PIXEL_ROWS;
        }
    }

    /**
     * Depthwise: a task is a run of {@code channelsPerTask} input channels (of all images in turn) and their
     * output channels, by the kernels of {@code variant}; {@code planes} is the geometry of the {@link
     * DepthwiseVariant.Planes} variant, null for the others.
     */
    record Depthwise(VectorWidth width, DepthwiseVariant variant, PhasePlanes planes, int channelsPerTask, int tasks,
                     int threads, String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.DEPTHWISE;
        }

        @Override
        public Source source() {
            return variant instanceof DepthwiseVariant.Direct ? Source.INPUT : Source.PHASE_PLANES;
        }
    }

    /**
     * Winograd's F(m x m, 3x3) ({@link Path#WINOGRAD}), {@code tile} = m = 4 or 2: the output in
     * {@code tilesH x tilesW} tiles of m x m, cut into {@code blocks} blocks of {@code tilesPerBlock} consecutive
     * tiles (row-major, across tile rows) per image. With {@code tileRows} the tiles are the GEMMs' rows and output
     * channels fill {@code kernel}'s vectors (few tiles: small images); without, output channels are its rows and
     * tiles fill the vectors (F(4x4) only). A GEMM task is one block for one of {@code panelSplits} ranges of
     * {@code kernel}'s output-channel panels: its GEMMs and output transform. Where {@code inputTasks} is 0 a task
     * also transforms its block's input first, {@code tasks = n * blocks} in one stage ({@code panelSplits} 1); else
     * each image runs two stages: {@code inputTasks} tasks (blocks x ranges of input channels) transform the input
     * once into the call's shared copy, then {@code tasks = blocks * panelSplits} tasks read it.
     */
    record Winograd(VectorWidth width, GemmKernel kernel, int tile, boolean tileRows, int tilesH, int tilesW, int tilesPerBlock,
                    int blocks, int inputTasks,
                    int panelSplits, int tasks, int threads, String reason) implements PlanDecision {
        @Override
        public Path path() {
            return Path.WINOGRAD;
        }

        @Override
        public Source source() {
            return Source.TRANSFORMED;
        }
    }
}
