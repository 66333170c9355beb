package org.grad4j.spark;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Which rows of each partition make each step's global batch. An epoch has {@code ceil(N / batchSize)} steps;
 * partition {@code p} of {@code n_p} rows gives step {@code s} its rows {@code [floor(s n_p / S), floor((s+1) n_p / S))}
 * in this epoch's order, so every row is used once an epoch and each partition's share of a global batch is
 * proportional to its size. With shuffling the order is a permutation drawn from the seed, the epoch and the
 * partition alone: a retried task draws the same rows. Rows never move between partitions (no Spark shuffle).
 */
final class EpochPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] counts;
    private final int steps;
    private final boolean shuffle;
    private final long seed;

    EpochPlan(long[] counts, int batchSize, boolean shuffle, long seed) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: the RDD has no samples in any of its " + counts.length
                    + " partitions");
        }
        this.counts = counts.clone();
        this.steps = (int) ((total + batchSize - 1) / batchSize);
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** Steps per epoch. */
    int steps() {
        return steps;
    }

    long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Rows partition {@code partition} gives to step {@code step}. */
    long share(int partition, int step) {
        long n = counts[partition];
        return n * (step + 1) / steps - n * step / steps;
    }

    /** Samples in the global batch of {@code step}. */
    long globalBatch(int step) {
        long sum = 0;
        for (int p = 0; p < counts.length; p++) {
            sum += share(p, step);
        }
        return sum;
    }

    /** The row indices of partition {@code partition} for {@code step} of {@code epoch}. */
    int[] rows(int partition, int epoch, int step) {
        long n = counts[partition];
        int from = (int) (n * step / steps);
        int to = (int) (n * (step + 1) / steps);
        int[] out = new int[to - from];
        if (!shuffle) {
            for (int i = 0; i < out.length; i++) {
                out[i] = from + i;
            }
            return out;
        }
        int[] order = permutation((int) n, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))
                ^ (0xC2B2AE3D27D4EB4FL * (partition + 1))));
        System.arraycopy(order, from, out, 0, out.length);
        return out;
    }

    /** Fisher-Yates with the given generator: the same seed gives the same order. */
    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
