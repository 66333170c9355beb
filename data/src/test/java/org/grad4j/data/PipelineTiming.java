package org.grad4j.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one pass of {@code fromArrays(x [60000, 28, 28], y [60000]).shuffle(1).batch(32)}, the shape of a
 * Fashion-MNIST epoch, with the gather fast path and with the row-by-row path it replaces. Not a test: run by
 * hand with the module's test class path, {@code java -cp ... org.grad4j.data.PipelineTiming}.
 *
 * <p>Then times an epoch of an {@link ImageFolder} pipeline (PNG decoding and resizing) consumed by a stand-in
 * training step that waits 60 ms per batch, with and without {@code prefetch(2)}: with it, decoding overlaps the
 * step and the epoch takes about the larger of the two instead of their sum.
 */
public final class PipelineTiming {
    private static final int STEP_MS = 60;

    private PipelineTiming() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length > 0 && args[0].equals("prefetch")) {
            prefetchOverlap();
            return;
        }
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
    private static void prefetchOverlap() throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("grad4j-images");
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 320; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(96, 96, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 96 * 96; p++) {
                img.setRGB(p % 96, p / 96, random.nextInt(1 << 24));
            }
            java.nio.file.Path file = root.resolve("class" + (i % 4) + "/img" + i + ".png");
            java.nio.file.Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(img, "png", file.toFile());
        }
        for (int round = 0; round < 5; round++) {
            Dataset plain = ImageFolder.read(root).imageSize(64, 64).batchSize(32).shuffle(false).training();
            Dataset prefetched = ImageFolder.read(root).imageSize(64, 64).batchSize(32).shuffle(false).training().prefetch(2);
            System.out.printf("round %d: image epoch (10 batches, " + STEP_MS + " ms step each) without prefetch %.3f s, with prefetch(2) %.3f s%n",
                    round, epoch(plain), epoch(prefetched));
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static double epoch(Dataset d) {
        long start = System.nanoTime();
        for (Element e : d) {
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

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
