package dev.vconv.simd.kernel;

/**
 * The transforms of Winograd's minimal filtering F(4x4, 3x3) and F(2x2, 3x3) (Lavin and Gray, 2016). The input
 * transforms are vectorised across tiles: a vector holds one value of {@code V} consecutive tiles (row-major, across
 * tile rows); the output transforms across tiles ({@link #output}) or across output channels ({@link #outputChannels}).
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
     * {@link #output} vectorised across output channels instead of tiles, for one tile: {@code A^T m A + bias} of
     * {@code V} channels, transform position {@code xi} of channel {@code l} at {@code m[mOff + xi*mStride + l]}, its
     * bias {@code bias[biasOff + l]}; output {@code (i, j)} of channel {@code l} goes to
     * {@code out[outOff + l*channelStride + i*ld + j]}. The same operations per output as {@link #output}.
     * {@code tmp} holds at least {@code 56 * V} floats.
     */
    void outputChannels(float[] m, int mOff, int mStride, float[] bias, int biasOff, float[] tmp, float[] out, int outOff,
                        int channelStride, int ld);

    /**
     * F(2x2, 3x3)'s {@link #expand}: {@code e[eOff + j*eStride + t] = row[rOff + 2*t + j]} for {@code j < 4},
     * {@code t < tiles}. May write up to {@code V - 1} floats past {@code tiles} in each run, and read up to
     * {@code 2V + 2} floats past {@code rOff + 2*tiles}.
     */
    void expand2(float[] row, int rOff, int tiles, float[] e, int eOff, int eStride);

    /**
     * F(2x2, 3x3)'s {@code B^T d B} of {@code V} tiles, the 4x4 windows as {@link #input}'s 6x6 ({@code xi = i*4 + j}):
     * <pre>
     * B^T = | 1  0 -1  0 |     G = | 1    0    0 |     A^T = | 1  1  1  0 |
     *       | 0  1  1  0 |         | 1/2  1/2 1/2 |           | 0  1 -1 -1 |
     *       | 0 -1  1  0 |         | 1/2 -1/2 1/2 |
     *       | 0  1  0 -1 |         | 0    0    1 |
     * </pre>
     */
    void input2(float[] e, int eOff, int eStride, float[] v, int vOff, int vStride, float[] tmp);

    /** F(2x2, 3x3)'s {@link #outputChannels}: 16 transform positions, a 2x2 output per channel. */
    void outputChannels2(float[] m, int mOff, int mStride, float[] bias, int biasOff, float[] tmp, float[] out, int outOff,
                         int channelStride, int ld);

    /**
     * F(2x2, 3x3)'s {@code U = G g G^T} ({@link #input2} has G), in double, rounded once to float:
     * {@code u[uOff + xi*uStride]} for the 16 positions.
     */
    static void filter2(float[] g, int gOff, float[] u, int uOff, int uStride) {
        transformFilter(new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}, g, gOff, u, uOff, uStride);
    }

    /**
     * {@code U = G g G^T} of the 3x3 filter {@code g[gOff + ky*3 + kx]}, in double, rounded once to float:
     * {@code u[uOff + xi*uStride]} for the 36 positions.
     */
    static void filter(float[] g, int gOff, float[] u, int uOff, int uStride) {
        transformFilter(new double[][] {
                {1 / 4.0, 0, 0},
                {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                {1 / 24.0, 1 / 12.0, 1 / 6.0},
                {1 / 24.0, -1 / 12.0, 1 / 6.0},
                {0, 0, 1}}, g, gOff, u, uOff, uStride);
    }

    /** {@code gm g gm^T} for the {@code t x 3} matrix {@code gm}, in double: {@code u[uOff + (i*t + j)*uStride]}. */
    private static void transformFilter(double[][] gm, float[] g, int gOff, float[] u, int uOff, int uStride) {
        int t = gm.length;
        double[][] gg = new double[t][3];                 // G g
        for (int i = 0; i < t; i++) {
            for (int kx = 0; kx < 3; kx++) {
                double s = 0;
                for (int ky = 0; ky < 3; ky++) {
                    s += gm[i][ky] * g[gOff + ky * 3 + kx];
                }
                gg[i][kx] = s;
            }
        }
        for (int i = 0; i < t; i++) {                     // (G g) G^T
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int kx = 0; kx < 3; kx++) {
                    s += gg[i][kx] * gm[j][kx];
                }
                u[uOff + (i * t + j) * uStride] = (float) s;
            }
        }
    }
}
