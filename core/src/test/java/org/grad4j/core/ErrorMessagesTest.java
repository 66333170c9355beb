package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Bad input fails before anything changes, naming the op and the shapes. */
class ErrorMessagesTest {

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "missing '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void matmulOfIncompatibleShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5)));
        assertMentions(e, "matmul", "[2, 3]", "[4, 5]", "3", "4");
    }

    @Test
    void broadcastOfIncompatibleShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4)));
        assertMentions(e, "add", "[2, 3]", "[4]");
    }

    @Test
    void badReshape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).reshape(4, -1));
        assertMentions(e, "reshape", "[2, 3]", "[4, -1]");
    }

    @Test
    void axisOutOfRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).sum(false, 2));
        assertMentions(e, "sum", "axis 2", "rank 2");
    }

    @Test
    void mixedDataTypes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ones(2).mul(Tensor.of(new double[] {1, 2}, DataType.DOUBLE)));
        assertMentions(e, "mul", "FLOAT", "DOUBLE");
    }

    @Test
    void failedOpLeavesNoGraphBehind() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> x.add(Tensor.ones(4)));
        x.sum().backward();
        assertTrue(x.grad() != null);
    }
}
