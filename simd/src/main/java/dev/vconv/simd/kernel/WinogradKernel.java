package dev.vconv.simd.kernel;

/**
 * The transforms of Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, 2016), vectorised across tiles: a
 * vector holds one value of {@code V} consecutive tiles (row-major, across tile rows).
 * A 4x4 output tile is {@code Y = A^T [(G g G^T) . (B^T d B)] A} for a 3x3 filter {@code g} and the 6x6 input
 * window {@code d} at the tile's top left corner:
 * <pre>
 * B^T = | 4  0 -5  0  1  0 |     G = | 1/4     0     0 |     A^T = | 1  1  1  1  1  0 |
 *       | 0 -4 -4  1  1  0 |         | -1/6 -1/6  -1/6 |           | 0  1 -1  2 -2  0 |
 *       | 0  4 -4 -1  1  0 |         | -1/6  1/6  -1/6 |           | 0  1  1  4  4  0 |
 *       | 0 -2 -1  2  1  0 |         | 1/24 1/12   1/6 |           | 0  1 -1  8 -8  1 |
 *       | 0  2 -1 -2  1  0 |         | 1/24 -1/12  1/6 |
 *       | 0  4  0 -5  0  1 |         | 0       0     1 |
 * </pre>
 * The filter transform is done once per plan, in double ({@link #filter}); the input and output transforms per
 * call, here. Transform position {@code xi = i*6 + j} is row {@code i}, column {@code j} of the 6x6 domain. Per
 * width a class of its own, generated from {@code F32Winograd.java.in}.
 */
public interface WinogradKernel {

    /** Tiles a vector holds. */
    int lanes();

    /**
     * The windows' columns of {@code tiles} tiles side by side in one tile row, from one padded input row:
     * {@code e[eOff + j*eStride + t] = row[rOff + 4*t + j]} for {@code j < 6}, {@code t < tiles}. May write up to
     * {@code V - 1} floats past {@code tiles} in each of the six runs, and read up to {@code 4V + 4} floats past
     * {@code rOff + 4*tiles}.
     */
    void expand(float[] row, int rOff, int tiles, float[] e, int eOff, int eStride);

    /**
     * {@code B^T d B} of {@code V} tiles: tile {@code l}'s window value {@code (i, j)} is
     * {@code e[eOff + (i*6 + j)*eStride + l]} ({@link #expand}), and its transform position {@code xi} goes to
     * {@code v[vOff + xi*vStride + l]}. {@code tmp} holds at least {@code 56 * V} floats.
     */
    void input(float[] e, int eOff, int eStride, float[] v, int vOff, int vStride, float[] tmp);

    /**
     * {@code A^T m A + bias} of {@code V} tiles, transform position {@code xi} of tile {@code l} at
     * {@code m[mOff + xi*mStride + l]}; output {@code (i, j)} ({@code i, j < 4}) of the first {@code lanes} tiles
     * goes to {@code out[map[mapOff + l] + i*ld + j]}. {@code tmp} holds at least {@code 56 * V} floats.
     */
    void output(float[] m, int mOff, int mStride, float bias, float[] tmp, float[] out, int[] map, int mapOff, int lanes, int ld);

    /**
     * {@code U = G g G^T} of the 3x3 filter {@code g[gOff + ky*3 + kx]}, in double, rounded once to float:
     * {@code u[uOff + xi*uStride]} for the 36 positions.
     */
    static void filter(float[] g, int gOff, float[] u, int uOff, int uStride) {
        double[][] gm = {
                {1 / 4.0, 0, 0},
                {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                {1 / 24.0, 1 / 12.0, 1 / 6.0},
                {1 / 24.0, -1 / 12.0, 1 / 6.0},
                {0, 0, 1}};
        double[][] gg = new double[6][3];                 // G g
        for (int i = 0; i < 6; i++) {
            for (int kx = 0; kx < 3; kx++) {
                double s = 0;
                for (int ky = 0; ky < 3; ky++) {
                    s += gm[i][ky] * g[gOff + ky * 3 + kx];
                }
                gg[i][kx] = s;
            }
        }
        for (int i = 0; i < 6; i++) {                     // (G g) G^T
            for (int j = 0; j < 6; j++) {
                double s = 0;
                for (int kx = 0; kx < 3; kx++) {
                    s += gg[i][kx] * gm[j][kx];
                }
                u[uOff + (i * 6 + j) * uStride] = (float) s;
            }
        }
    }
}
