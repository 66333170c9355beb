package org.grad4j.benchmarks;

import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What grad4j adds to one op: the same element-wise multiply as raw ND4J ({@code INDArray.mul}),
 * as an untracked grad4j op, and as a recorded grad4j op (inputs that require grad, so a graph node is
 * built), on a 1-element and a 256x256 float32 tensor. Prints the median time per op of many rounds and
 * the ratio to raw ND4J measured in the same run.
 */
public final class OpOverhead {
    private static final int ROUNDS = 31;

    private OpOverhead() {
    }

    public static void main(String[] args) {
        System.out.println("op overhead: median of " + ROUNDS + " rounds, microseconds per op (OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + ")");
        measure("1 element", new long[] {1}, 20_000);
        measure("256x256", new long[] {256, 256}, 500);
    }

    private static void measure(String label, long[] shape, int opsPerRound) {
        INDArray a = Nd4j.rand(DataType.FLOAT, shape);
        INDArray b = Nd4j.rand(DataType.FLOAT, shape);
        Tensor ta = Tensor.of(a);
        Tensor tb = Tensor.of(b);
        Tensor ra = Tensor.of(a.dup()).requiresGrad(true);
        Tensor rb = Tensor.of(b.dup()).requiresGrad(true);
        Runnable raw = () -> a.mul(b);
        Runnable untracked = () -> ta.mul(tb);
        Runnable recorded = () -> ra.mul(rb);
        Runnable[] cases = {raw, untracked, recorded};
        double[][] samples = new double[3][ROUNDS];
        for (int warm = 0; warm < 5; warm++) {
            for (Runnable c : cases) {
                time(c, opsPerRound);
            }
        }
        // interleave the three so that machine noise hits them alike
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < cases.length; c++) {
                samples[c][r] = time(cases[c], opsPerRound);
            }
        }
        Stats sRaw = Stats.of(samples[0]);
        Stats sUntracked = Stats.of(samples[1]);
        Stats sRecorded = Stats.of(samples[2]);
        System.out.printf("%-10s raw ND4J mul     %s%n", label, sRaw.format("us"));
        System.out.printf("%-10s grad4j untracked %s  ratio %.2f%n", label, sUntracked.format("us"),
                sUntracked.median() / sRaw.median());
        System.out.printf("%-10s grad4j recorded  %s  ratio %.2f%n", label, sRecorded.format("us"),
                sRecorded.median() / sRaw.median());
    }

    private static double time(Runnable op, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return (System.nanoTime() - t0) / 1e3 / n;
    }
}
