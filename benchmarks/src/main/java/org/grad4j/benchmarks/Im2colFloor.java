package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The floor under one training step of W7's convnet: only the matrix products its layers reduce to, as raw ND4J
 * GEMMs into arrays allocated once. A convolution over im2col rows {@code cols [positions, kh·kw·in]} is
 * {@code out = cols·K}; its backward is {@code dK = colsᵀ·g} and {@code dCols = g·Kᵀ} (then col2im). The dense layer
 * is the MLP floor's three products. As {@link GemmFloor} leaves out the first layer's input gradient, no framework
 * needs the first convolution's {@code dCols} (the images are not trained), so it is left out too. No im2col,
 * col2im, pooling, activation, loss or update: a framework cannot do the step in less than this.
 */
final class Im2colFloor implements Side {
    /** One product {@code C = op(A)·op(B)}, {@code C [m, n]}. */
    record Product(String name, INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
        long flops() {
            long k = transA ? a.size(0) : a.size(1);
            return 2 * c.size(0) * c.size(1) * k;
        }
    }

    private final List<Product> products = new ArrayList<>();

    /**
     * @param convs per convolution {@code {positions, depth, filters}}: im2col rows over the batch, their length
     *              ({@code kh·kw·in}) and the output channels, first layer first
     * @param dense the dense layer {@code {batch, in, out}}
     */
    Im2colFloor(int[][] convs, int[] dense) {
        SplittableRandom random = new SplittableRandom(7);
        for (int l = 0; l < convs.length; l++) {
            int rows = convs[l][0];
            int depth = convs[l][1];
            int filters = convs[l][2];
            INDArray cols = uniform(random, rows, depth);
            INDArray kernel = uniform(random, depth, filters);
            INDArray g = uniform(random, rows, filters);
            String layer = "conv" + (l + 1);
            products.add(new Product(layer + " forward", cols, kernel, zeros(rows, filters), false, false));
            products.add(new Product(layer + " dKernel", cols, g, zeros(depth, filters), true, false));
            if (l > 0) {
                products.add(new Product(layer + " dCols", g, kernel, zeros(rows, depth), false, true));
            }
        }
        INDArray x = uniform(random, dense[0], dense[1]);
        INDArray w = uniform(random, dense[1], dense[2]);
        INDArray g = uniform(random, dense[0], dense[2]);
        products.add(new Product("dense forward", x, w, zeros(dense[0], dense[2]), false, false));
        products.add(new Product("dense dKernel", x, g, zeros(dense[1], dense[2]), true, false));
        products.add(new Product("dense dX", g, w, zeros(dense[0], dense[1]), false, true));
    }

    /** W7 at {@code batch}: 28×28×1 → conv 3×3×32 (26×26) → pool → conv 3×3×64 (11×11) → pool → 1600 → 10. */
    static Im2colFloor convnet(int batch) {
        return new Im2colFloor(new int[][] {{batch * 26 * 26, 9, ConvnetWeights.FILTERS1},
                {batch * 11 * 11, 9 * ConvnetWeights.FILTERS1, ConvnetWeights.FILTERS2}},
                new int[] {batch, ConvnetWeights.FLAT, FashionData.CLASSES});
    }

    // small non-zero values everywhere: no denormals, no all-zero shortcut in the BLAS
    private static INDArray uniform(SplittableRandom random, long rows, long columns) {
        return Seeds.uniform(random, new long[] {rows, columns}, -0.05, 0.05);
    }

    private static INDArray zeros(long rows, long columns) {
        return Nd4j.zeros(DataType.FLOAT, rows, columns);
    }

    List<Product> products() {
        return products;
    }

    /** Floating-point operations of one step's products. */
    long flopsPerStep() {
        long n = 0;
        for (Product p : products) {
            n += p.flops();
        }
        return n;
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public void run(int steps) {
        Environment.configure();   // the run's BLAS threads, whatever grad4j last chose for its own products
        for (int s = 0; s < steps; s++) {
            for (Product p : products) {
                Nd4j.gemm(p.a(), p.b(), p.c(), p.transA(), p.transB(), 1.0, 0.0);
            }
        }
    }
}
