package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The reductions' shortcuts for trailing and leading axes give the general walk's indices, for every axis set. */
class ReducedIndexTest {

    @Test
    void everyAxisSetOfEveryShapeMapsAsTheGeneralWalk() {
        long[][] shapes = {{7}, {1}, {0, 3}, {3, 4}, {1, 5}, {4, 1}, {2, 3, 4}, {3, 1, 2}, {2, 3, 1, 5}, {1, 1, 1}};
        int checked = 0;
        for (long[] in : shapes) {
            for (int mask = 0; mask < 1 << in.length; mask++) {
                long[] kept = in.clone();
                for (int d = 0; d < in.length; d++) {
                    if ((mask & 1 << d) != 0) {
                        kept[d] = 1;
                    }
                }
                int[] expected = JavaKernels.walk(in, kept, new int[(int) Shapes.size(in)]);
                assertArrayEquals(expected, JavaKernels.reducedIndex(in, kept),
                        Arrays.toString(in) + " reduced to " + Arrays.toString(kept));
                checked++;
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(60, checked);
    }
}
