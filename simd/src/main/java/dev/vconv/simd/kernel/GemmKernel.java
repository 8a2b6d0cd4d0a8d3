package dev.vconv.simd.kernel;

/**
 * A GEMM micro-kernel: one {@code MR x NR} tile of C from a packed panel of A and a packed panel of B,
 * the accumulators held in registers for the whole reduction block.
 *
 * <pre>
 *              B panel: kc rows of NR floats, b[bOff + k*NR + j]
 *            +----------------+
 *            | k=0  j=0..NR-1 |
 *            | k=1            |
 *            | ...            |
 *            +----------------+
 * A panel     C tile (registers)
 * a[aOff + k*MR + r]
 * +-----+    +----------------+
 * | r=0 |    | c00 c01 ...    |   c[cOff + r*ldc + j], r &lt; mr, j &lt; nr
 * | ... |    | ...            |
 * |r=MR-1|   |                |
 * +-----+    +----------------+
 * </pre>
 *
 * <p>The kernel adds {@code A_panel * B_panel} to a full {@code MR x NR} tile of C: {@code C += A B}, one fused
 * multiply-add per element and {@code k}, in increasing {@code k}. The caller fills C with the bias before the
 * first reduction block, so each element is one running sum from the bias, whatever the blocking and the
 * threads. Panels are zero-padded to full {@code MR} rows and {@code NR} columns; an edge tile of C (fewer rows
 * or columns) goes through a full scratch tile (the one documented way of handling edges, as BLIS does), so
 * the kernel has neither masks nor branches.
 */
public interface GemmKernel {

    /** Rows of a tile (of C, and of a packed A panel). */
    int mr();

    /** Columns of a tile (of C, and of a packed B panel). */
    int nr();

    /** The name, after XNNPACK's scheme: {@code f32_gemm_4x2v_256} = 4 rows by 2 vectors of 256 bits. */
    String name();

    /** {@code C[cOff + r*ldc + j] += sum_k a[aOff + k*MR + r] * b[bOff + k*NR + j]} for {@code r < MR, j < NR, k < kc}. */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc);

    /**
     * A tile of {@code bias + A * B} with B read in place instead of from a packed panel: row {@code k} of B is
     * the {@code NR} floats at {@code x[rows[rowOff + k] + col]}, and row {@code r} of the tile starts from
     * {@code bias[biasOff + r]} rather than from C, which is only written:
     * {@code C[cOff + r*ldc + j] = bias[biasOff + r] + sum_k a[aOff + k*MR + r] * x[rows[rowOff + k] + col + j]}.
     * The implicit-GEMM path runs it over the whole reduction on a padded, phase-split copy of the input, where
     * every row of the im2col matrix is such a shifted stretch ({@code IndirectGemm}); nothing is packed, and the
     * bias costs no pass over C. Same order of operations as {@link #tile} on a C filled with the bias, so the
     * two agree bit for bit.
     */
    void tileIndirect(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                      float[] c, int cOff, int ldc);

    /**
     * {@link #tileIndirect} for one vector of columns instead of {@code NR}: the last, partial column panel of a
     * block, so that a few leftover columns cost one vector's work, not a whole panel's. The same sums in the same
     * order, so it agrees with {@link #tileIndirect} bit for bit on the columns it computes.
     */
    void tileIndirect1v(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                        float[] c, int cOff, int ldc);

    /**
     * {@link #tile} with A read in place instead of from a packed panel: element {@code (k, r)} of A is
     * {@code x[xOff + rows[rowOff + k] + pixels[pixOff + r]]}:
     * {@code C[cOff + r*ldc + j] += sum_k x[xOff + rows[rowOff + k] + pixels[pixOff + r]] * b[bOff + k*NR + j]}.
     * The pixel-rows path runs it with the rows of A the output pixels ({@code pixels}: where each reads its
     * window) and the reduction index the tap ({@code rows}: where tap {@code k} sits from a window's corner), on
     * the padded input, so that im2col's transpose is never packed. Same order of operations as {@link #tile},
     * so the two agree bit for bit.
     */
    void tileGather(int kc, float[] x, int xOff, int[] rows, int rowOff, int[] pixels, int pixOff, float[] b, int bOff,
                    float[] c, int cOff, int ldc);

    /**
     * One row of {@link #tileGather}, for one pixel: {@code C[cOff + j] += sum_k x[xOff + rows[rowOff + k] + pixel]
     * * b[bOff + k*NR + j]} for {@code j < NR}. The last, partial panel of pixels runs as few of these as it has
     * pixels, not a whole {@code MR}-row tile: on a 7x7 image 49 pixels cost 49 rows of work, not 54 (6x4v). The
     * same sums in the same order as {@link #tileGather}, so they agree bit for bit.
     */
    void tileGatherRow(int kc, float[] x, int xOff, int[] rows, int rowOff, int pixel, float[] b, int bOff, float[] c, int cOff);

    /**
     * An edge tile of {@code mrCur x nrCur} ({@code mrCur <= MR}, {@code nrCur <= NR}) of C: copied into the full
     * {@code MR x NR} {@code scratch} tile (rows and columns past the edge zero), run through {@link #tile}, and
     * copied back. The packed panels are zero-padded, so the extra rows and columns compute zeros that are
     * dropped; the kernel itself never sees a partial tile.
     */
    default void edgeTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int mrCur, int nrCur,
                          float[] scratch) {
        int nr = nr();
        java.util.Arrays.fill(scratch, 0, mr() * nr, 0f);
        for (int r = 0; r < mrCur; r++) {
            System.arraycopy(c, cOff + r * ldc, scratch, r * nr, nrCur);
        }
        tile(kc, a, aOff, b, bOff, scratch, 0, nr);
        for (int r = 0; r < mrCur; r++) {
            System.arraycopy(scratch, r * nr, c, cOff + r * ldc, nrCur);
        }
    }
}
