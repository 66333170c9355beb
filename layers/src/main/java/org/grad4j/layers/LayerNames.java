package org.grad4j.layers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.grad4j.core.internal.KerasNames;

/**
 * Keras' automatic layer names: the snake_case of the class name with a global counter per base name,
 * so the first layer is {@code dense}, then {@code dense_1}, {@code dense_2}... Thread-safe.
 */
final class LayerNames {
    private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

    private LayerNames() {
    }

    /** An automatic name for a new layer of this class, and the counter value it used. */
    static Issued issue(Class<?> layerClass) {
        String base = KerasNames.snakeCase(className(layerClass));
        AtomicInteger counter = COUNTERS.computeIfAbsent(base, b -> new AtomicInteger());
        int uid = counter.getAndIncrement();
        return new Issued(uid == 0 ? base : base + "_" + uid, counter, uid);
    }

    /**
     * Gives an issued name's number back when no other layer took a number since, so that
     * {@code new Dense(1).name("out")} (or a failed constructor) does not shift the next automatic
     * name, as in Keras where an explicit name never touches the counter.
     */
    static void release(Issued issued) {
        // the counter that issued it: after a reset it is detached, and giving back is harmless
        issued.counter().compareAndSet(issued.uid() + 1, issued.uid());
    }

    /** Forgets every counter (the naming part of Keras' {@code clear_session}). */
    static void reset() {
        COUNTERS.clear();
    }

    /** The simple name of the class, or of its nearest named superclass for anonymous classes. */
    static String className(Class<?> type) {
        Class<?> c = type;
        while (c.getSimpleName().isEmpty() && c.getSuperclass() != null) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }


    /** A name handed out, with what is needed to give it back. */
    record Issued(String name, AtomicInteger counter, int uid) {
    }
}
