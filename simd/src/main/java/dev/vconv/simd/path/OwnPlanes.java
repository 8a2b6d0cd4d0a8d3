package dev.vconv.simd.path;

import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.PlanDecision;

/**
 * One thread's own copy of the phase planes of one image ({@link PlanDecision.Copies#PRIVATE}, whole-image tasks and
 * group tasks), allocated on first use and kept by the thread's workspace: the thread builds the plane rows its
 * tasks read and have not been built for the running call, and keeps what it built as one range of rows (widened
 * to take in any gap). Under zero padding a build writes only the image's values: the padding keeps the zeros of
 * the allocation, as no one else writes this copy.
 */
public final class OwnPlanes {
    private final PhasePlanes geometry;
    private float[] planes;
    // What the copy holds: the rows [builtFrom, builtTo) of image builtImage, for call builtFor's call builtSequence.
    private RunnerCall<?> builtFor;
    private long builtSequence;
    private int builtImage = -1;
    private int builtFrom;
    private int builtTo;

    OwnPlanes(PhasePlanes geometry) {
        this.geometry = geometry;
    }

    /** The copy, allocated on first use. */
    float[] buffer() {
        if (planes == null) {
            planes = new float[geometry.planesSize];
        }
        return planes;
    }

    /**
     * The copy holding at least the plane rows that the kept outputs of output rows {@code [oyFirst, oyLast]} of
     * image {@code n} of {@code call} read ({@link PhasePlanes#planeRowsEnd}), every channel.
     */
    float[] rows(PathRunner.Layer layer, RunnerCall<?> call, int n, int oyFirst, int oyLast) {
        int from = oyFirst;
        int to = geometry.planeRowsEnd(oyLast);
        float[] copy = buffer();
        int channels = layer.spec().inChannels();
        if (builtFor != call || builtSequence != call.sequence || builtImage != n) {
            layer.build(geometry, call.x, n, 0, channels, copy, from, to);
            builtFor = call;
            builtSequence = call.sequence;
            builtImage = n;
            builtFrom = from;
            builtTo = to;
            return copy;
        }
        if (from < builtFrom) {
            layer.build(geometry, call.x, n, 0, channels, copy, from, builtFrom);
            builtFrom = from;
        }
        if (to > builtTo) {
            layer.build(geometry, call.x, n, 0, channels, copy, builtTo, to);
            builtTo = to;
        }
        return copy;
    }

    /** The copy with input channels {@code [from, to)} of image {@code n} built whole (a group task), for no call. */
    float[] channels(PathRunner.Layer layer, float[] x, int n, int from, int to) {
        float[] copy = buffer();
        layer.build(geometry, x, n, from, to, copy, 0, geometry.hq);
        builtFor = null;
        builtImage = -1;
        return copy;
    }
}
