package org.grad4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.losses.Loss;
import org.grad4j.models.Model;
import org.grad4j.optimizers.Optimizer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a grad4j training step spends its time: the same step as {@code fit}'s default (per epoch a shuffled
 * order, per step the batch's rows gathered in that order into memory kept for the run, forward and loss under a
 * tape, gradients, one in-place optimizer update, the loss read back, all in a workspace the next step reuses),
 * written out through the public API with a clock between the phases. Phases: <b>slicing</b> (the batch's
 * gather, one bulk copy a row as fit's, and the epoch's permutation, amortized), <b>allocation</b> (entering and leaving the step's workspace, which is where it
 * resets), <b>forward</b> (layers and loss), <b>backward</b> (the tape's gradients), <b>optimizer</b> (the
 * update and the loss read back). What fit adds beyond this (callbacks, metric maps) is the gap between its
 * median and this step's total.
 */
final class PhasedStep {
    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();
    static final List<String> PHASES = List.of("slicing", "allocation", "forward", "backward", "optimizer");

    private final Model model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Data data;
    private final int batchSize;
    private final SplittableRandom random = new SplittableRandom(61);

    /** @param model compiled and built, trained with {@code loss} and {@code optimizer} */
    PhasedStep(Model model, Loss loss, Optimizer optimizer, Data data, int batchSize) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.data = data;
        this.batchSize = batchSize;
    }

    /** Nanoseconds per phase (in {@link #PHASES}' order) over {@code steps} steps, and the process usage meanwhile. */
    record Result(long[] nanos, int steps, ProcessUsage usage) {
        /** {@code slicing 0.05 ms (2 %), ...}, per step. */
        String format() {
            long total = 0;
            for (long n : nanos) {
                total += n;
            }
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.3f ms/step:", total / 1e6 / steps));
            for (int p = 0; p < nanos.length; p++) {
                s.append(String.format(Locale.ROOT, " %s %.3f ms (%.0f %%)%s", PHASES.get(p), nanos[p] / 1e6 / steps,
                        total == 0 ? 0.0 : 100.0 * nanos[p] / total, p + 1 < nanos.length ? "," : ""));
            }
            return s.toString();
        }
    }

    /**
     * Steps run before the timed ones: the workspace learns its size in its first cycle and is then allocated
     * anew, fresh memory that costs W7's 20 timed steps 15 ms each on this machine when they pay for it.
     */
    static final int WARMUP_STEPS = 3;

    /** Times {@code steps} steps after {@link #WARMUP_STEPS} untimed ones. */
    Result run(int steps) {
        timed(WARMUP_STEPS);
        return timed(steps);
    }

    private Result timed(int steps) {
        List<Variable> variables = model.trainableVariables();
        optimizer.build(variables);
        long[] nanos = new long[PHASES.size()];
        long n = data.samples();
        int perEpoch = (int) ((n + batchSize - 1) / batchSize);
        // rows are gathered as matrices, then each batch gets back the samples' own shape
        INDArray flatX = data.x().reshape('c', n, data.x().length() / n);
        INDArray flatY = data.y().reshape('c', n, data.y().length() / n);
        long[] sampleShape = java.util.Arrays.copyOfRange(data.x().shape(), 1, data.x().rank());
        INDArray xs = Nd4j.createUninitialized(flatX.dataType(), batchSize, flatX.size(1));
        INDArray ys = Nd4j.createUninitialized(flatY.dataType(), batchSize, flatY.size(1));
        int[] order = null;
        ProcessUsage before = ProcessUsage.now();
        for (int step = 0; step < steps; step++) {
            long t0 = System.nanoTime();
            int inEpoch = step % perEpoch;
            if (inEpoch == 0) {
                order = permutation((int) n);
            }
            int start = inEpoch * batchSize;
            int end = (int) Math.min(n, start + batchSize);
            Tensor x = Tensor.of(gather(flatX, xs, order, start, end).reshape('c', batchShape(end - start, sampleShape)));
            Tensor y = Tensor.of(gather(flatY, ys, order, start, end));
            long t1 = System.nanoTime();
            long t2;
            long t3;
            long t4;
            long t5;
            long t6;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, "BENCH_PHASED_STEP")) {
                t2 = System.nanoTime();
                Tensor value;
                GradientTape tape = GradientTape.open();
                try (tape) {
                    value = loss.call(y, model.apply(x, true));
                }
                t3 = System.nanoTime();
                List<Tensor> gradients = tape.gradient(value, variables);
                t4 = System.nanoTime();
                optimizer.applyGradientsInPlace(gradients, variables);
                value.itemDouble();
                t5 = System.nanoTime();
            }
            t6 = System.nanoTime();
            nanos[0] += t1 - t0;
            nanos[1] += (t2 - t1) + (t6 - t5);
            nanos[2] += t3 - t2;
            nanos[3] += t4 - t3;
            nanos[4] += t5 - t4;
        }
        ProcessUsage usage = ProcessUsage.now().minus(before);
        close(xs, ys);
        return new Result(nanos, steps, usage);
    }

    /** Rows {@code order[start, end)} of {@code flat} into the first rows of {@code into}: a bulk copy a row, as fit. */
    private static INDArray gather(INDArray flat, INDArray into, int[] order, int start, int end) {
        int row = (int) (flat.size(1) * flat.dataType().width());
        ByteBuffer from = flat.data().asNio();
        ByteBuffer to = into.data().asNio();
        long base = flat.offset() * flat.dataType().width();
        for (int i = start; i < end; i++) {
            to.put((i - start) * row, from, (int) (base + (long) order[i] * row), row);
        }
        return end - start == into.size(0) ? into : into.get(NDArrayIndex.interval(0, end - start), NDArrayIndex.all());
    }

    private static long[] batchShape(long rows, long[] sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = rows;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    private int[] permutation(int n) {
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

    private static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
