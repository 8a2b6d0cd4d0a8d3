package dev.vconv.simd;

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
 * <p>Panels are zero-padded to full {@code MR} rows and {@code NR} columns, so the kernel always computes a full
 * tile; only the store is trimmed to {@code mr x nr} (edge tiles, the one documented way: masked column stores
 * and row guards). The first reduction block of a tile stores {@code bias[r] + sum} (bias may be null: 0), later
 * blocks {@code C + sum}; with {@code relu} (last block only) the stored value is {@code max(value, 0)}. For each
 * element the reduction runs in increasing {@code k}, so results do not depend on how work is split.
 */
interface GemmKernel {

    /** Rows of a tile (of C, and of a packed A panel). */
    int mr();

    /** Columns of a tile (of C, and of a packed B panel). */
    int nr();

    /** The name, after XNNPACK's scheme: {@code f32_gemm_6x2v_256} = 6 rows by 2 vectors of 256 bits. */
    String name();

    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int mr, int nr,
              float[] bias, int biasOff, boolean first, boolean relu);
}
