package org.grad4j.data;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code tf.data}'s shuffle buffer: the first {@code capacity} inputs fill it, each output is a uniformly chosen
 * element of the buffer, and the next input takes a place in it. One algorithm for elements and for row indices,
 * so that the gather fast path gives exactly the order the element path gives.
 */
final class ShuffleBuffer<T> {
    private final Supplier<T> input;
    private final SplittableRandom random;
    private final int capacity;
    private final ArrayList<T> buffer = new ArrayList<>();
    private boolean inputDone;

    /** {@code input} gives null at its end. */
    ShuffleBuffer(Supplier<T> input, long seed, int capacity) {
        this.input = input;
        this.random = new SplittableRandom(seed);
        this.capacity = capacity;
    }

    /** The next output, or null when input and buffer are both empty. */
    T next() {
        while (!inputDone && buffer.size() < capacity) {
            T t = input.get();
            if (t == null) {
                inputDone = true;
            } else {
                buffer.add(t);
            }
        }
        if (buffer.isEmpty()) {
            return null;
        }
        int i = random.nextInt(buffer.size());
        T out = buffer.get(i);
        T last = buffer.remove(buffer.size() - 1);
        if (i < buffer.size()) {
            buffer.set(i, last);
        }
        return out;
    }

    /** The order a shuffle with this seed and capacity gives to {@code n} inputs in {@code order} (null: 0..n-1). */
    static int[] permute(int[] order, int n, long seed, int capacity) {
        int[] next = {0};
        ShuffleBuffer<Integer> b = new ShuffleBuffer<>(
                () -> next[0] < n ? (order == null ? next[0]++ : order[next[0]++]) : null, seed, capacity);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.next();
        }
        return out;
    }
}
