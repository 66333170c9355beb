package org.grad4j.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.models.Model;

/**
 * The models an executor has deserialized, per fit: deserializing a model (config, layers, optimizer) costs far
 * more than assigning a step's weights, so each executor does it once per fit and keeps the instance. Tasks of
 * one executor run in parallel threads and a model serves one thread at a time, so each fit has a pool: a task
 * borrows an instance (reading a new one when all are out) and gives it back when it ends well. A task that
 * fails drops its instance, whose state may be half-updated; the retry starts from the broadcast state anyway.
 */
final class WorkerModels {
    /** Fits whose models an executor keeps at most; the oldest are forgotten (a driver that died never evicts). */
    private static final int MAX_FITS = 4;

    // access order: the fits used least recently go first
    private static final Map<String, Deque<Model>> POOLS = new LinkedHashMap<>(16, 0.75f, true);

    private WorkerModels() {
    }

    static Model borrow(String fitId, byte[] modelBytes, ExecutorSetup setup) {
        synchronized (POOLS) {
            Deque<Model> pool = POOLS.get(fitId);
            if (pool != null && !pool.isEmpty()) {
                return pool.pop();
            }
        }
        if (setup != null) {
            setup.run();
        }
        return ModelBytes.read(modelBytes);
    }

    static void giveBack(String fitId, Model model) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(fitId, id -> new ArrayDeque<>()).push(model);
            Iterator<String> oldest = POOLS.keySet().iterator();
            while (POOLS.size() > MAX_FITS) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Forgets a finished fit's models. */
    static void evict(String fitId) {
        synchronized (POOLS) {
            POOLS.remove(fitId);
        }
    }

    /** Instances pooled for {@code fitId} now (for tests). */
    static int pooled(String fitId) {
        synchronized (POOLS) {
            Deque<Model> pool = POOLS.get(fitId);
            return pool == null ? 0 : pool.size();
        }
    }
}
