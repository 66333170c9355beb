package org.grad4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one model to one thread while it trains. Calls that change the weights or the compiled
 * metrics ({@code fit}, {@code trainOnBatch}, {@code evaluate}, {@code compile}, {@code setWeights},
 * {@code loadWeights}) hold the model exclusively; calls that only read the weights ({@code predict},
 * {@code save}, {@code getWeights}) share it with each other. A call that cannot enter fails at once
 * with an {@link IllegalStateException} naming the other thread: waiting would hide the mistake, and
 * running would interleave two trainings' updates or read weights in the middle of a step.
 *
 * <p>The thread that holds the model may call back into it (a callback's {@code predict},
 * {@code ModelCheckpoint}'s {@code save}, {@code EarlyStopping}'s {@code setWeights}). Each entry is
 * released by closing its {@link Use}, in a try-with-resources, so a call that throws releases too.
 */
final class ThreadGuard {
    private static final Set<String> TRAINING = Set.of("fit", "trainOnBatch");

    /** What an entry gives back: closing it leaves the model. */
    interface Use extends AutoCloseable {
        @Override
        void close();
    }

    private Thread owner;
    private String ownerCall;
    private int ownerDepth;
    /** Threads inside shared calls: how deep, and the outermost call, for messages. */
    private final Map<Thread, int[]> readerDepth = new LinkedHashMap<>();
    private final Map<Thread, String> readerCall = new LinkedHashMap<>();

    /** Enters a call that changes the model; no other thread may be inside any call. */
    synchronized Use exclusive(String call) {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            throw busy(call, owner, ownerCall, true);
        }
        for (Thread reader : readerDepth.keySet()) {
            if (reader != me) {
                throw busy(call, reader, readerCall.get(reader), false);
            }
        }
        if (owner == null) {
            owner = me;
            ownerCall = call;
        }
        ownerDepth++;
        return this::leaveExclusive;
    }

    /** Enters a call that only reads the model; other readers may be inside, no other thread's exclusive call. */
    synchronized Use shared(String call) {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            throw busy(call, owner, ownerCall, true);
        }
        readerDepth.computeIfAbsent(me, t -> new int[1])[0]++;
        readerCall.putIfAbsent(me, call);
        return () -> leaveShared(me);
    }

    private synchronized void leaveExclusive() {
        if (--ownerDepth == 0) {
            owner = null;
            ownerCall = null;
        }
    }

    private synchronized void leaveShared(Thread me) {
        int[] depth = readerDepth.get(me);
        if (--depth[0] == 0) {
            readerDepth.remove(me);
            readerCall.remove(me);
        }
    }

    private static IllegalStateException busy(String call, Thread other, String otherCall, boolean otherChanges) {
        String where = call + ": this model is ";
        String thread = " in another thread (" + other.getName() + "); ";
        if (TRAINING.contains(call) && TRAINING.contains(otherCall)) {
            return new IllegalStateException(where + "already training" + thread + "a model trains in one thread at a time");
        }
        if (!otherChanges) {
            return new IllegalStateException(where + activity(otherCall) + thread + "a model trains only while no other "
                    + "thread uses it (wait for " + otherCall + " to return)");
        }
        return new IllegalStateException(where + activity(otherCall) + thread + "only that thread may use it until "
                + otherCall + " returns: call " + call + " there (e.g. from a callback) or afterwards; separate models "
                + "may be used in separate threads");
    }

    private static String activity(String call) {
        return switch (call) {
            case "fit", "trainOnBatch" -> "training";
            case "evaluate" -> "evaluating";
            case "predict" -> "predicting";
            case "compile" -> "being compiled";
            case "save", "saveWeights" -> "being saved";
            case "setWeights", "loadWeights" -> "having its weights set";
            case "getWeights" -> "having its weights read";
            default -> "in " + call;
        };
    }
}
