package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The convnet's floor holds each layer's products with the im2col shapes, and computes them. */
class Im2colFloorTest {

    @Test
    void theProductsHaveTheConvnetsShapesAndValues() {
        Im2colFloor floor = Im2colFloor.convnet(2);
        List<Im2colFloor.Product> p = floor.products();
        assertEquals(List.of("conv1 forward", "conv1 dKernel", "conv2 forward", "conv2 dKernel", "conv2 dCols",
                "dense forward", "dense dKernel", "dense dX"), p.stream().map(Im2colFloor.Product::name).toList());
        assertEquals(List.of(2L * 26 * 26, 32L), List.of(p.get(0).c().size(0), p.get(0).c().size(1)));
        assertEquals(List.of(288L, 64L), List.of(p.get(3).c().size(0), p.get(3).c().size(1)));
        assertEquals(List.of(2L * 11 * 11, 288L), List.of(p.get(4).c().size(0), p.get(4).c().size(1)));
        assertEquals(List.of(1600L, 10L), List.of(p.get(6).c().size(0), p.get(6).c().size(1)));
        long conv1Rows = 2 * 26 * 26;
        long conv2Rows = 2 * 11 * 11;
        // 2 flops a multiply-add; conv1 has no dCols, the others three products each
        long expected = 2 * (2 * conv1Rows * 9 * 32) + 3 * (2 * conv2Rows * 288 * 64) + 3 * (2 * 2 * 1600 * 10);
        assertEquals(expected, floor.flopsPerStep());
        floor.run(1);
        for (Im2colFloor.Product q : p) {
            INDArray a = q.transA() ? q.a().transpose() : q.a();
            INDArray b = q.transB() ? q.b().transpose() : q.b();
            assertTrue(q.c().equalsWithEps(a.mmul(b), 1e-5), q.name());
        }
    }
}
