package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Engines;
import dev.vconv.simd.SimdConv2d;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The networks this JVM has built, keyed by the broadcast that carried their weights and the thread count
 * their calls use. The first task of a broadcast on an executor builds the network (plans every layer, packs
 * the weights); every later task in that JVM, on any thread and in any partition, reuses it. Tasks that start
 * together wait for one build rather than each making their own.
 *
 * <p>At most {@link #CAPACITY} networks are kept; the one used longest ago goes first. {@link VconvInference#close}
 * drops the driver JVM's entries of its broadcast (in local mode, where executors are the driver's threads,
 * that is all of them).
 */
public final class PlanCache {
    /** How many networks one JVM keeps: a few jobs' worth, each network's packed weights a few MB to tens. */
    static final int CAPACITY = 4;

    private static final Map<Key, Slot> ENTRIES = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Slot> eldest) {
            return size() > CAPACITY;
        }
    };
    private static final AtomicInteger BUILDS = new AtomicInteger();

    private PlanCache() {
    }

    private record Key(long broadcastId, int threads) {
    }

    /**
     * The network of {@code definition} planned for calls of {@code threads} threads: built on first use in
     * this JVM, then shared.
     */
    static ImageNetwork network(Broadcast<NetworkDefinition> definition, int threads) {
        Slot entry;
        synchronized (ENTRIES) {
            entry = ENTRIES.computeIfAbsent(new Key(definition.id(), threads), key -> new Slot());
        }
        return entry.get(definition, threads);
    }

    /** Drops this JVM's networks of broadcast {@code broadcastId}. */
    static void release(long broadcastId) {
        synchronized (ENTRIES) {
            ENTRIES.keySet().removeIf(key -> key.broadcastId() == broadcastId);
        }
    }

    /** The thread counts this JVM holds networks of broadcast {@code broadcastId} for. */
    static java.util.Set<Integer> threadCounts(long broadcastId) {
        synchronized (ENTRIES) {
            return ENTRIES.keySet().stream().filter(key -> key.broadcastId() == broadcastId).map(Key::threads)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /** How many networks this JVM has built since it started: one per broadcast and thread count, if the cache works. */
    public static int builds() {
        return BUILDS.get();
    }

    /**
     * The engine for calls of {@code threads} threads: the SIMD engine when the Vector API runs here (with
     * {@code --add-modules jdk.incubator.vector}), else the scalar one ({@link Engines#best()} logs why once).
     */
    static Conv2d engine(int threads) {
        Conv2d best = Engines.best();
        return best instanceof SimdConv2d simd ? simd.withThreads(threads) : best;
    }

    /** One cache slot; the first caller builds the network while later ones wait on the slot, not on the map. */
    private static final class Slot {
        private ImageNetwork network;

        synchronized ImageNetwork get(Broadcast<NetworkDefinition> definition, int threads) {
            if (network == null) {
                network = definition.value().build(engine(threads));
                BUILDS.incrementAndGet();
            }
            return network;
        }
    }
}
