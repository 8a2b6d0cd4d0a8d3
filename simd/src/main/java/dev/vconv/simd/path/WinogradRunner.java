package dev.vconv.simd.path;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.WinogradKernel;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

/**
 * Winograd's F(4x4, 3x3) ({@link Path#WINOGRAD}). The output of each image is cut into 4x4 tiles, numbered
 * row-major, and the tiles into blocks of {@code J} consecutive tiles. A task (image, block, range of
 * output-channel panels):
 * <pre>
 * for each input channel c:   its padded rows under the block (the padding mode's, zeros past the image)
 *                             E[i][j][t] = padded[4ty + i][4tx + j]    the windows, split by column phase
 *                             V[xi][c][t] = (B^T d_t B)[xi]           V tiles a vector, from E
 * for each panel of MR output channels:
 *     for xi &lt; 36:            M[xi][r][t] = sum_c U[xi][r][c] V[xi][c][t]     the width's GEMM kernel, B in place
 *     for each channel r:     Y_t = A^T M_t A + bias -&gt; the block's output rows -&gt; epilogue -&gt; y
 * </pre>
 * {@code U = G g G^T} is packed once, here, as the kernel's A panels ({@code [panel][xi][c][MR]}); {@code V} rows
 * are {@code jv} (J rounded up to whole vectors) floats apart and read in place by {@link GemmKernel#tileIndirect}
 * (whole {@code NR} panels, then one vector at a time), so nothing is packed per call. Every output is computed by
 * the same operations whatever the block, split or thread: the results are the same bit for bit at any thread
 * count. The transforms round differently from a running sum: docs/KERNELS.md, Winograd, has the measured error.
 */
public final class WinogradRunner implements PathRunner, RunnerCall.Body<WinogradRunner.Workspace> {
    private static final int T = 36;           // transform positions, 6x6

    private final Layer layer;
    private final PlanDecision.Winograd decision;
    private final GemmKernel kernel;
    private final WinogradKernel wino;
    private final int cin;
    private final int panels;
    private final float[] u;                   // [panel][xi][cin][MR]
    private final int[] rows;                  // rows[c] = c * jv: where row c of a transform position's V starts
    private final float[] zeros;               // the GEMM's start: MR zeros (the bias is added after the transform)
    private final int tiles;                   // per image
    private final int jv;                      // columns of V and M: J rounded up to whole vectors
    private final int wt;                      // padded row stride: 4 * tilesW + 2 (zeros past the padding)
    private final int ld;                      // the output rows' stride in the workspace: 4 * tilesW
    private final int[] colMap;                // padded column -> input column, or -1 for zero
    private final int[] storeMap;              // per block, jv entries: a tile's corner in the block's output rows
    private final int[] firstTileRow;          // per block
    private final int padRows;                 // rows of the largest block's padded input
    private final int es;                      // floats per window position of E: jv and a vector's overrun
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /**
     * A thread's scratch memory: one channel's padded rows under a block and their windows E ({@code 36 x es}), the
     * block's V ({@code 36 x cin x jv}) and a panel's M ({@code 36 x MR x jv}), the transforms' scratch, and one
     * output channel's rows of the block.
     */
    record Workspace(float[] padded, float[] e, float[] v, float[] m, float[] tmp, float[] out) {
    }

    public WinogradRunner(Layer layer, PlanDecision.Winograd decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.kernel = decision.kernel();
        this.wino = layer.width().winograd;
        ConvSpec spec = layer.spec();
        this.cin = spec.inChannels();
        int cout = spec.outChannels();
        int mr = kernel.mr();
        int lanes = wino.lanes();
        this.panels = Math.ceilDiv(cout, mr);
        this.u = new float[panels * T * cin * mr];
        for (int oc = 0; oc < cout; oc++) {
            for (int c = 0; c < cin; c++) {
                int ip = oc / mr;
                WinogradKernel.filter(weight, (oc * cin + c) * 9, u, ((ip * T) * cin + c) * mr + oc % mr, cin * mr);
            }
        }
        int tilesW = decision.tilesW();
        this.tiles = decision.tilesH() * tilesW;
        int j = decision.tilesPerBlock();
        this.jv = Math.ceilDiv(j, lanes) * lanes;
        this.rows = new int[cin];
        for (int c = 0; c < cin; c++) {
            rows[c] = c * jv;
        }
        this.zeros = new float[mr];
        this.wt = 4 * tilesW + 2;
        this.ld = 4 * tilesW;
        this.colMap = new int[wt];
        int wp = layer.in().w() + spec.padLeft() + spec.padRight();
        for (int xp = 0; xp < wt; xp++) {
            colMap[xp] = xp < wp ? spec.paddingMode().map(xp - spec.padLeft(), layer.in().w()) : -1;
        }
        int blocks = decision.blocks();
        this.storeMap = new int[blocks * jv];
        this.firstTileRow = new int[blocks];
        int span = 0;
        for (int b = 0; b < blocks; b++) {
            int first = b * j;
            int last = Math.min(tiles, first + j) - 1;
            firstTileRow[b] = first / tilesW;
            span = Math.max(span, last / tilesW - first / tilesW + 1);
            for (int t = first; t <= last; t++) {
                int dy = 4 * (t / tilesW - firstTileRow[b]);
                int dx = 4 * (t % tilesW);
                storeMap[b * jv + t - first] = dy * ld + dx;
            }
        }
        this.padRows = 4 * span + 2;
        int padded = padRows * wt + 4 * lanes + 8;    // expand reads up to 4V + 4 past a row's tiles
        this.es = jv + lanes;
        int e = T * es;
        int v = T * cin * jv;
        int m = T * mr * jv;
        int out = 4 * span * ld;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[padded], new float[e], new float[v],
                new float[m], new float[56 * lanes], new float[out]));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        calls.get().runTasks(this, x, y, r, layer.pool(), decision.tasks());
    }

    @Override
    public Workspace workspace() {
        return workspaces.get();
    }

    /** Task {@code task}: its panel split, block and image, in that order from the fastest. */
    @Override
    public void task(RunnerCall<Workspace> call, int task, Workspace ws) {
        int splits = decision.panelSplits();
        int split = task % splits;
        int rest = task / splits;
        int b = rest % decision.blocks();
        int n = rest / decision.blocks();
        int first = b * decision.tilesPerBlock();
        int count = Math.min(tiles, first + decision.tilesPerBlock()) - first;
        transformInput(call.x, n, b, count, ws);
        for (int ip = split * panels / splits; ip < (split + 1) * panels / splits; ip++) {
            multiply(ip, count, ws);
            transformOutput(call.y, call.r, n, b, first, count, ip, ws);
        }
    }

    /**
     * V of block {@code b} ({@code count} tiles) of image {@code n}, every input channel: the channel's padded rows,
     * their windows split into E tile row by tile row (in order: a row's overrun lands on the next row's tiles, which
     * overwrite it, or past the block), then the transform a vector of tiles at a time.
     */
    private void transformInput(float[] x, int n, int b, int count, Workspace ws) {
        int lanes = wino.lanes();
        int tilesW = decision.tilesW();
        int first = b * decision.tilesPerBlock();
        int ty0 = firstTileRow[b];
        int tyLast = (first + count - 1) / tilesW;
        for (int c = 0; c < cin; c++) {
            padRows(x, n, c, 4 * ty0, 4 * (tyLast - ty0) + 6, ws.padded);
            for (int ty = ty0; ty <= tyLast; ty++) {
                int txFrom = ty == ty0 ? first % tilesW : 0;
                int txTo = ty == tyLast ? (first + count - 1) % tilesW + 1 : tilesW;
                int t = ty * tilesW + txFrom - first;
                for (int i = 0; i < 6; i++) {
                    wino.expand(ws.padded, (4 * (ty - ty0) + i) * wt + 4 * txFrom, txTo - txFrom, ws.e, i * 6 * es + t, es);
                }
            }
            for (int l = 0; l < count; l += lanes) {
                wino.input(ws.e, l, es, ws.v, c * jv + l, cin * jv, ws.tmp);
            }
        }
    }

    /**
     * Rows {@code [from, from + count)} of the padded input channel {@code c} of image {@code n}, {@code wt} floats
     * apart: the padding mode's values around the image, zeros past the padded image (read only by outputs that are
     * dropped).
     */
    private void padRows(float[] x, int n, int c, int from, int count, float[] dst) {
        ConvSpec spec = layer.spec();
        int h = layer.in().h();
        int w = layer.in().w();
        int hp = h + spec.padTop() + spec.padBottom();
        PaddingMode mode = spec.paddingMode();
        int left = spec.padLeft();
        int plane = (n * cin + c) * h * w;
        for (int yr = 0; yr < count; yr++) {
            int yp = from + yr;
            int sy = yp < hp ? mode.map(yp - spec.padTop(), h) : -1;
            int at = yr * wt;
            if (sy < 0) {
                java.util.Arrays.fill(dst, at, at + wt, 0f);
                continue;
            }
            int src = plane + sy * w;
            System.arraycopy(x, src, dst, at + left, w);
            for (int xp = 0; xp < left; xp++) {
                dst[at + xp] = colMap[xp] < 0 ? 0f : x[src + colMap[xp]];
            }
            for (int xp = left + w; xp < wt; xp++) {
                dst[at + xp] = colMap[xp] < 0 ? 0f : x[src + colMap[xp]];
            }
        }
    }

    /** M of output-channel panel {@code ip}: the 36 products of U's panel and V, over the block's columns. */
    private void multiply(int ip, int count, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int lanes = wino.lanes();
        int full = count / nr * nr;
        for (int xi = 0; xi < T; xi++) {
            int aOff = (ip * T + xi) * cin * mr;
            int bCol = xi * cin * jv;
            int cOff = xi * mr * jv;
            for (int col = 0; col < full; col += nr) {           // jr: whole panels
                kernel.tileIndirect(cin, u, aOff, ws.v, rows, 0, bCol + col, zeros, 0, ws.m, cOff + col, jv);
            }
            for (int col = full; col < count; col += lanes) {    // the rest, a vector at a time
                kernel.tileIndirect1v(cin, u, aOff, ws.v, rows, 0, bCol + col, zeros, 0, ws.m, cOff + col, jv);
            }
        }
    }

    /**
     * The output transform of panel {@code ip}'s channels on block {@code b} of image {@code n} (tiles
     * {@code [first, first + count)}): each channel's tiles into the block's output rows, then through the epilogue
     * into {@code y}, with the residual {@code r} (or null), only the pixels of the block's tiles inside the output.
     */
    private void transformOutput(float[] y, float[] r, int n, int b, int first, int count, int ip, Workspace ws) {
        int mr = kernel.mr();
        int lanes = wino.lanes();
        int cout = layer.spec().outChannels();
        int tilesW = decision.tilesW();
        int hout = layer.hout();
        int wout = layer.wout();
        int ty0 = firstTileRow[b];
        int tyLast = (first + count - 1) / tilesW;
        for (int row = 0; row < mr && ip * mr + row < cout; row++) {
            int oc = ip * mr + row;
            float bias = layer.bias(oc);
            for (int l = 0; l < count; l += lanes) {
                wino.output(ws.m, row * jv + l, mr * jv, bias, ws.tmp, ws.out, storeMap, b * jv + l, Math.min(lanes, count - l), ld);
            }
            int plane = (n * cout + oc) * hout * wout;
            for (int ty = ty0; ty <= tyLast; ty++) {
                int x0 = ty == ty0 ? 4 * (first % tilesW) : 0;
                int x1 = Math.min(wout, ty == tyLast ? 4 * ((first + count - 1) % tilesW + 1) : wout);
                for (int i = 0; i < 4 && 4 * ty + i < hout; i++) {
                    int at = plane + (4 * ty + i) * wout + x0;
                    layer.apply(ws.out, (4 * (ty - ty0) + i) * ld + x0, r, at, y, at, x1 - x0);
                }
            }
        }
    }
}
