package org.grad4j.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one pass of {@code fromArrays(x [60000, 28, 28], y [60000]).shuffle(1).batch(32)}, the shape of a
 * Fashion-MNIST epoch, with the gather fast path and with the row-by-row path it replaces. Not a test: run by
 * hand with the module's test class path, {@code java -cp ... org.grad4j.data.PipelineTiming}.
 */
public final class PipelineTiming {
    private PipelineTiming() {
    }

    public static void main(String[] args) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 60000, 28, 28).muli(255);
        INDArray y = Nd4j.createFromArray(new float[60000]);
        Dataset fast = Dataset.fromArrays(x, y).shuffle(1).batch(32);
        Dataset rowByRow = Dataset.fromArrays(x, y).map(e -> e).shuffle(1).batch(32);
        Dataset plain = Dataset.fromArrays(x, y).batch(32);
        for (int round = 0; round < 5; round++) {
            System.out.printf("round %d: shuffle+batch gathered %s, plain batch gathered %s, shuffle+batch row by row %s%n",
                    round, seconds(fast), seconds(plain), seconds(rowByRow));
        }
    }

    /** Wall-clock and this thread's CPU seconds of one pass (the CPU time shows the cost on a busy machine). */
    private static String seconds(Dataset d) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = bean.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long rows = 0;
        for (Element e : d) {
            rows += e.x().size(0);
        }
        if (rows != 60000) {
            throw new IllegalStateException("a pass gave " + rows + " rows");
        }
        return String.format("%.3f s (cpu %.3f s)", (System.nanoTime() - start) / 1e9,
                (bean.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
}
