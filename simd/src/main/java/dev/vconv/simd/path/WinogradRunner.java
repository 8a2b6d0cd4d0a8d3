package dev.vconv.simd.path;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.WinogradKernel;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

/**
 * Winograd's F(m x m, 3x3), m = 4 or 2 ({@link Path#WINOGRAD}). The output of each image is cut into m x m tiles,
 * numbered row-major, and the tiles into blocks of {@code J} consecutive tiles. For a block and a range of
 * output-channel panels:
 * <pre>
 * for each input channel c:   its padded rows under the block (the padding mode's, zeros past the image)
 *                             E[i][j][t] = padded[m ty + i][m tx + j]   the windows, split by column phase
 *                             V[xi][c][t] = (B^T d_t B)[xi]            V tiles a vector, from E
 * for each panel of output channels:
 *     for xi &lt; T:             M[xi] = U[xi] V[xi] over c              the width's GEMM kernel, V read in place
 *     for each channel:       Y_t = A^T M_t A + bias -&gt; the block's output rows -&gt; epilogue -&gt; y
 * </pre>
 * {@code T = (m + 2)^2}. {@code U = G g G^T} is packed once, here. Two orientations of the GEMMs
 * ({@link PlanDecision.Winograd#tileRows}): output channels as the kernel's rows and tiles in its vectors (U as A
 * panels {@code [panel][xi][c][MR]}, V as B rows read by {@link GemmKernel#tileIndirect}, M {@code [xi][r][t]},
 * the output transform across tiles); or tiles as its rows and output channels in its vectors, for images of few
 * tiles (U as B panels {@code [panel][xi][c][NR]}, V gathered as A by {@link GemmKernel#tileGather}, M
 * {@code [xi][t][NR]}, the output transform across channels). V rows are {@code jv} (J rounded up to whole
 * vectors) floats apart, so nothing is packed per call. Where a task transforms its own block's input, V is the
 * thread's; where the output channels are split among tasks, the input is transformed once per call, by tasks of
 * their own, into a copy the GEMM tasks share. Every output is computed by the same operations whatever the block,
 * split or thread: the results are the same bit for bit at any thread count. The transforms round differently from
 * a running sum: docs/KERNELS.md, Winograd, has the measured error.
 */
public final class WinogradRunner implements PathRunner, RunnerCall.Body<WinogradRunner.Workspace> {
    // The stages of a call with a shared input transform.
    private static final int INPUT = 0;        // a block's input channels [from, to) into the call's shared V
    private static final int GEMM = 1;         // a block's GEMMs and output transform for a range of panels

    private final Layer layer;
    private final PlanDecision.Winograd decision;
    private final GemmKernel kernel;
    private final WinogradKernel wino;
    private final int m;                       // output tile side
    private final int t;                       // transform positions, (m + 2)^2
    private final boolean tileRows;
    private final int cin;
    private final int panels;                  // output-channel panels: of MR channels, or NR with tile rows
    private final float[] u;                   // [panel][xi][cin][MR], or [panel][xi][cin][NR] with tile rows
    private final float[] bias;                // with tile rows: the bias, zeros to whole panels
    private final int[] rows;                  // rows[c] = c * jv: where row c of a transform position's V starts
    private final int[] pixels;                // with tile rows: pixels[r] = r, the tiles as the GEMM's rows
    private final float[] zeros;               // the GEMM's start: MR zeros (the bias is added after the transform)
    private final int tiles;                   // per image
    private final int jv;                      // columns of V: J rounded up to whole vectors
    private final int rowsM;                   // with tile rows: M's rows per position, jv rounded up to MR
    private final int blockV;                  // floats of one block's V: t * cin * jv
    private final int chunks;                  // input-channel ranges of a block's shared transform
    private final int wt;                      // padded row stride: m * tilesW + 2 (zeros past the padding)
    private final int ld;                      // the output rows' stride in the workspace: m * tilesW
    private final int chan;                    // with tile rows: floats of one channel's output rows in the workspace
    private final int[] colMap;                // padded column -> input column, or -1 for zero
    private final int[] storeMap;              // per block, jv entries: a tile's corner in the block's output rows
    private final int[] firstTileRow;          // per block
    private final int padRows;                 // rows of the largest block's padded input
    private final int es;                      // floats per window position of E: jv and a vector's overrun
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /**
     * A thread's scratch memory: one channel's padded rows under a block and their windows E ({@code T x es}), the
     * block's V ({@code T x cin x jv}, where tasks transform their own block) and a panel's M, the transforms' scratch,
     * and the output rows of the block (one channel's, or a panel's with tile rows).
     */
    record Workspace(float[] padded, float[] e, float[] v, float[] m, float[] tmp, float[] out) {
    }

    public WinogradRunner(Layer layer, PlanDecision.Winograd decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.kernel = decision.kernel();
        this.wino = layer.width().winograd;
        this.m = decision.tile();
        this.t = (m + 2) * (m + 2);
        this.tileRows = decision.tileRows();
        ConvSpec spec = layer.spec();
        this.cin = spec.inChannels();
        int cout = spec.outChannels();
        int lanes = wino.lanes();
        int width = tileRows ? kernel.nr() : kernel.mr();       // output channels a panel
        this.panels = Math.ceilDiv(cout, width);
        this.u = new float[panels * t * cin * width];
        for (int oc = 0; oc < cout; oc++) {
            for (int c = 0; c < cin; c++) {
                int to = ((oc / width * t) * cin + c) * width + oc % width;
                if (m == 4) {
                    WinogradKernel.filter(weight, (oc * cin + c) * 9, u, to, cin * width);
                } else {
                    WinogradKernel.filter2(weight, (oc * cin + c) * 9, u, to, cin * width);
                }
            }
        }
        this.bias = new float[panels * width];
        for (int oc = 0; oc < cout; oc++) {
            bias[oc] = layer.bias(oc);
        }
        int tilesW = decision.tilesW();
        this.tiles = decision.tilesH() * tilesW;
        int j = decision.tilesPerBlock();
        this.jv = Math.ceilDiv(j, lanes) * lanes;
        this.rowsM = Math.ceilDiv(jv, kernel.mr()) * kernel.mr();
        this.blockV = t * cin * jv;
        this.rows = new int[cin];
        for (int c = 0; c < cin; c++) {
            rows[c] = c * jv;
        }
        this.pixels = new int[rowsM];
        for (int r = 0; r < rowsM; r++) {
            pixels[r] = r < jv ? r : 0;          // rows past the vectors' columns: computed and dropped
        }
        this.chunks = decision.inputTasks() == 0 ? 1 : decision.inputTasks() / decision.blocks();
        this.zeros = new float[kernel.mr()];
        this.wt = m * tilesW + 2;
        this.ld = m * tilesW;
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
            for (int tile = first; tile <= last; tile++) {
                int dy = m * (tile / tilesW - firstTileRow[b]);
                int dx = m * (tile % tilesW);
                storeMap[b * jv + tile - first] = dy * ld + dx;
            }
        }
        this.padRows = m * span + 2;
        this.chan = m * span * ld;
        int padded = padRows * wt + 4 * lanes + 8;    // expand reads up to 4V + 4 past a row's tiles
        this.es = jv + lanes;
        int e = t * es;
        int v = decision.inputTasks() == 0 ? blockV : 0;
        int mFloats = tileRows ? t * rowsM * kernel.nr() : t * kernel.mr() * jv;
        int out = tileRows ? kernel.nr() * chan : chan;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[padded], new float[e], new float[v],
                new float[mFloats], new float[56 * lanes], new float[out]));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        RunnerCall<Workspace> call = calls.get();
        if (decision.inputTasks() == 0) {
            call.runTasks(this, x, y, r, layer.pool(), decision.tasks());
            return;
        }
        call.start(this, x, y, r);
        try {
            call.shared(decision.blocks() * blockV);
            int images = layer.in().n();
            for (int n = 0; n < images; n++) {
                call.stage(layer.pool(), INPUT, n, decision.inputTasks(), WorkerPool.ClaimOrder.FRONT, true);
                call.stage(layer.pool(), GEMM, n, decision.tasks(), WorkerPool.ClaimOrder.FRONT, n + 1 < images);
            }
        } finally {
            call.finish();
        }
    }

    @Override
    public Workspace workspace() {
        return workspaces.get();
    }

    /**
     * One stage: task = (image, block) transforming its own input; or, of a call's image, (block, range of input
     * channels) of the shared transform, or (block, panel split) reading it, the fastest first.
     */
    @Override
    public void task(RunnerCall<Workspace> call, int task, Workspace ws) {
        if (decision.inputTasks() == 0) {
            int b = task % decision.blocks();
            int n = task / decision.blocks();
            transformInput(call.x, n, b, 0, cin, ws.v, 0, ws);
            products(call.y, call.r, n, b, 0, panels, ws.v, 0, ws);
            return;
        }
        int n = call.image;
        switch (call.stage) {
            case INPUT -> {
                int chunk = task % chunks;
                int b = task / chunks;
                transformInput(call.x, n, b, chunk * cin / chunks, (chunk + 1) * cin / chunks, call.shared, b * blockV, ws);
            }
            case GEMM -> {
                int splits = decision.panelSplits();
                int split = task % splits;
                int b = task / splits;
                products(call.y, call.r, n, b, split * panels / splits, (split + 1) * panels / splits, call.shared, b * blockV, ws);
            }
            default -> throw new IllegalStateException("no stage " + call.stage);
        }
    }

    /** Panels {@code [from, to)} of block {@code b} of image {@code n}: the GEMMs on its V, the output transform. */
    private void products(float[] y, float[] r, int n, int b, int from, int to, float[] v, int vOff, Workspace ws) {
        int first = b * decision.tilesPerBlock();
        int count = Math.min(tiles, first + decision.tilesPerBlock()) - first;
        for (int ip = from; ip < to; ip++) {
            if (tileRows) {
                multiplyRows(ip, count, v, vOff, ws);
                transformOutputRows(y, r, n, b, first, count, ip, ws);
            } else {
                multiply(ip, count, v, vOff, ws);
                transformOutput(y, r, n, b, first, count, ip, ws);
            }
        }
    }

    /**
     * V of input channels {@code [from, to)} of block {@code b} (its tiles) of image {@code n}, into {@code v} from
     * {@code vOff}: each channel's padded rows, their windows split into E tile row by tile row (in order: a row's
     * overrun lands on the next row's tiles, which overwrite it, or past the block), then the transform a vector of
     * tiles at a time.
     */
    private void transformInput(float[] x, int n, int b, int from, int to, float[] v, int vOff, Workspace ws) {
        int lanes = wino.lanes();
        int tilesW = decision.tilesW();
        int first = b * decision.tilesPerBlock();
        int count = Math.min(tiles, first + decision.tilesPerBlock()) - first;
        int ty0 = firstTileRow[b];
        int tyLast = (first + count - 1) / tilesW;
        int side = m + 2;
        for (int c = from; c < to; c++) {
            padRows(x, n, c, m * ty0, m * (tyLast - ty0) + side, ws.padded);
            for (int ty = ty0; ty <= tyLast; ty++) {
                int txFrom = ty == ty0 ? first % tilesW : 0;
                int txTo = ty == tyLast ? (first + count - 1) % tilesW + 1 : tilesW;
                int col = ty * tilesW + txFrom - first;
                for (int i = 0; i < side; i++) {
                    int row = (m * (ty - ty0) + i) * wt + m * txFrom;
                    if (m == 4) {
                        wino.expand(ws.padded, row, txTo - txFrom, ws.e, i * side * es + col, es);
                    } else {
                        wino.expand2(ws.padded, row, txTo - txFrom, ws.e, i * side * es + col, es);
                    }
                }
            }
            for (int l = 0; l < count; l += lanes) {
                if (m == 4) {
                    wino.input(ws.e, l, es, v, vOff + c * jv + l, cin * jv, ws.tmp);
                } else {
                    wino.input2(ws.e, l, es, v, vOff + c * jv + l, cin * jv, ws.tmp);
                }
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
    private void multiply(int ip, int count, float[] v, int vOff, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int lanes = wino.lanes();
        int full = count / nr * nr;
        for (int xi = 0; xi < t; xi++) {
            int aOff = (ip * t + xi) * cin * mr;
            int bCol = vOff + xi * cin * jv;
            int cOff = xi * mr * jv;
            for (int col = 0; col < full; col += nr) {           // jr: whole panels
                kernel.tileIndirect(cin, u, aOff, v, rows, 0, bCol + col, zeros, 0, ws.m, cOff + col, jv);
            }
            for (int col = full; col < count; col += lanes) {    // the rest, a vector at a time
                kernel.tileIndirect1v(cin, u, aOff, v, rows, 0, bCol + col, zeros, 0, ws.m, cOff + col, jv);
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
        for (int row = 0; row < mr && ip * mr + row < cout; row++) {
            int oc = ip * mr + row;
            for (int l = 0; l < count; l += lanes) {
                wino.output(ws.m, row * jv + l, mr * jv, bias[oc], ws.tmp, ws.out, storeMap, b * jv + l, Math.min(lanes, count - l), ld);
            }
            store(y, r, n, b, first, count, oc, ws.out, 0);
        }
    }

    /**
     * With tile rows: M of output-channel panel {@code ip} ({@code NR} channels), the T products of V (the block's
     * tiles as rows, gathered in place, whole {@code MR}-row tiles) and U's panel, {@code M[xi][tile][NR]}.
     */
    private void multiplyRows(int ip, int count, float[] v, int vOff, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int rowsCur = Math.ceilDiv(count, mr) * mr;
        java.util.Arrays.fill(ws.m, 0, t * rowsCur * nr, 0f);
        for (int xi = 0; xi < t; xi++) {
            int bOff = (ip * t + xi) * cin * nr;
            int xOff = vOff + xi * cin * jv;
            int cOff = xi * rowsCur * nr;
            for (int row = 0; row < count; row += mr) {         // ir: whole MR-row tiles
                kernel.tileGather(cin, v, xOff, rows, 0, pixels, row, u, bOff, ws.m, cOff + row * nr, nr);
            }
        }
    }

    /**
     * With tile rows: the output transform of panel {@code ip}'s channels on block {@code b} of image {@code n}, a
     * tile and a vector of channels at a time into the channels' output rows, then through the epilogue into
     * {@code y} as {@link #transformOutput}.
     */
    private void transformOutputRows(float[] y, float[] r, int n, int b, int first, int count, int ip, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int lanes = wino.lanes();
        int cout = layer.spec().outChannels();
        int ocs = Math.min(nr, cout - ip * nr);
        int rowsCur = Math.ceilDiv(count, mr) * mr;
        for (int tile = 0; tile < count; tile++) {
            int at = storeMap[b * jv + tile];
            for (int q = 0; q < ocs; q += lanes) {
                if (m == 4) {
                    wino.outputChannels(ws.m, tile * nr + q, rowsCur * nr, bias, ip * nr + q, ws.tmp, ws.out, q * chan + at, chan, ld);
                } else {
                    wino.outputChannels2(ws.m, tile * nr + q, rowsCur * nr, bias, ip * nr + q, ws.tmp, ws.out, q * chan + at, chan, ld);
                }
            }
        }
        for (int q = 0; q < ocs; q++) {
            store(y, r, n, b, first, count, ip * nr + q, ws.out, q * chan);
        }
    }

    /**
     * Output channel {@code oc}'s rows of block {@code b} (tiles {@code [first, first + count)}) from {@code out} at
     * {@code outOff} through the epilogue into {@code y}, with the residual {@code r} (or null): only the pixels of
     * the block's tiles inside the output, a tile row's {@code m} output rows in one call.
     */
    private void store(float[] y, float[] r, int n, int b, int first, int count, int oc, float[] out, int outOff) {
        int tilesW = decision.tilesW();
        int hout = layer.hout();
        int wout = layer.wout();
        int ty0 = firstTileRow[b];
        int tyLast = (first + count - 1) / tilesW;
        int plane = (n * layer.spec().outChannels() + oc) * hout * wout;
        for (int ty = ty0; ty <= tyLast; ty++) {
            int x0 = ty == ty0 ? m * (first % tilesW) : 0;
            int x1 = Math.min(wout, ty == tyLast ? m * ((first + count - 1) % tilesW + 1) : wout);
            int rows = Math.min(m, hout - m * ty);
            int at = plane + m * ty * wout + x0;
            layer.apply(out, outOff + m * (ty - ty0) * ld + x0, ld, r, at, wout, y, at, wout, rows, x1 - x0);
        }
    }
}
