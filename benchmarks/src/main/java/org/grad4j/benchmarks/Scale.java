package org.grad4j.benchmarks;

import java.util.List;

/**
 * How long each workload runs. FULL follows the issue: W1/W2 measure 20,000 steps per side (10 blocks of
 * 2,000), W4 trains on 60,000 samples and times whole epochs. QUICK keeps every workload and both
 * frameworks but runs fewer, shorter blocks (5 measurements each, still medians), to finish in well under
 * two minutes.
 */
enum Scale {
    FULL, QUICK;

    static final List<String> IDS = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7");

    Workload create(String id) {
        boolean full = this == FULL;
        return switch (id) {
            case "W1" -> Workloads.seedRegression(full ? new Contest(2, 10, 2000) : new Contest(1, 5, 500));
            case "W2" -> Workloads.seedClassification(full ? new Contest(2, 10, 2000) : new Contest(1, 5, 500));
            // 3,200 samples: 100 batches of 32 per epoch
            case "W3" -> Workloads.linearRegression(3200, full ? new Contest(2, 10, 1000) : new Contest(1, 5, 200));
            // full: 60,000 samples = 469 steps (the last one 96 samples), one epoch per block
            case "W4" -> full ? Workloads.mlpMnistShape(60_000, new Contest(1, 5, 469))
                    : Workloads.mlpMnistShape(128 * 25, new Contest(2, 5, 25));
            case "W5" -> full ? Workloads.mlpWide(256 * 8, new Contest(Contest.warmupBlocksFor(8), 5, 8))
                    : Workloads.mlpWide(256 * 3, new Contest(1, 5, 3));
            // full: the tutorial's epoch, 60,000 samples = 1,875 steps of 32, one epoch per block
            case "W6" -> full ? Workloads.tutorial(60_000, new Contest(1, 5, 1875)) : Workloads.tutorial(32 * 250, new Contest(1, 5, 250));
            // 20 batches of 128 (one epoch) per block: the step is ~0.1-0.4 s on each side, so a full epoch of
            // 60,000 would take minutes per block; quick: 4 batches per block
            case "W7" -> full ? Workloads.convnet(128 * 20, new Contest(Contest.warmupBlocksFor(20), 5, 20)) : Workloads.convnet(128 * 4, new Contest(1, 5, 4));
            default -> throw new IllegalArgumentException("unknown workload \"" + id + "\" (known: " + IDS + ")");
        };
    }
}
