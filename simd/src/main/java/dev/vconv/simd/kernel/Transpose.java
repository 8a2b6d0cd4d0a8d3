package dev.vconv.simd.kernel;

/**
 * The pixel-rows path's copy of its workspace {@code C^T} (pixels x channels) into the output (channels x
 * pixels): {@code y[yOff + c*ldy + q] = src[sOff + q*lds + c]} for {@code q < rows}, {@code c < cols}. One
 * implementation per vector width that has one ({@link VectorWidth}); the others copy one float at a time
 * ({@link #SCALAR}).
 */
public interface Transpose {

    void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] y, int yOff, int ldy);

    /** One float at a time, a column of the result after another (a read {@code lds} floats from the last). */
    Transpose SCALAR = (src, sOff, lds, rows, cols, y, yOff, ldy) -> {
        for (int c = 0; c < cols; c++) {
            for (int q = 0, from = sOff + c, to = yOff + c * ldy; q < rows; q++, from += lds) {
                y[to + q] = src[from];
            }
        }
    };
}
