package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/** The step's Java arrays: lent while the step's workspace is current, lent again after the step, never early. */
class StepArraysTest {
    private static final WorkspaceConfiguration STEP = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();

    private static MemoryWorkspace step() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, "STEP_ARRAYS_TEST");
    }

    @Test
    void theNextStepGetsTheSameArraysZeroed() {
        StepArrays arrays = new StepArrays();
        float[] first;
        float[] second;
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            first = StepArrays.floats(300);
            second = StepArrays.floats(300);
            assertNotSame(first, second, "two arrays of one step are distinct");
            Arrays.fill(first, 7f);
            Arrays.fill(second, -3f);
            assertEquals(2, arrays.lentCount());
        }
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            float[] a = StepArrays.floats(300);
            float[] b = StepArrays.floats(300);
            float[] c = StepArrays.floats(300);
            assertSame(second, a, "the last array given back is lent first");
            assertSame(first, b);
            assertNotSame(first, c, "a third one is new");
            assertArrayEquals(new float[300], a, "lent arrays are zeroed, as new ones are");
            assertArrayEquals(new float[300], b);
            assertNotSame(first, StepArrays.floats(301), "another length is another array");
        }
    }

    @Test
    void nothingIsLentOutsideTheStepsWorkspaceOrBelowTheSmallestSize() {
        StepArrays arrays = new StepArrays();
        float[] kept;
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            kept = StepArrays.floats(StepArrays.FROM - 1);
            try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                // what a step keeps past itself it makes out of the workspace: new memory for it here too
                StepArrays.floats(1000);
            }
            assertEquals(0, arrays.lentCount(), "short arrays and arrays made outside the workspace are new");
        }
        float[] outside = StepArrays.floats(1000);
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            assertNotSame(outside, StepArrays.floats(1000));
            assertNotSame(kept, StepArrays.floats(StepArrays.FROM - 1));
        }
        assertThrows(IllegalArgumentException.class, () -> arrays.lend(null));
    }

    @Test
    void aNestedScopeTakesNothingBackBeforeTheOuterOneCloses() {
        StepArrays arrays = new StepArrays();
        try (MemoryWorkspace ws = step(); StepArrays.Scope outer = arrays.lend(ws)) {
            float[] before = StepArrays.floats(500);
            try (StepArrays.Scope inner = arrays.lend(ws)) {
                StepArrays.floats(500);
            }
            assertNotSame(before, StepArrays.floats(500), "the outer step still holds its arrays");
            assertEquals(3, arrays.lentCount());
        }
    }

    @Test
    void aGradientKeptInGradOutlivesTheStep() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.JAVA, "-Dgrad4j.kernels=nd4j keeps no tensor in a Java array");
        StepArrays arrays = new StepArrays();
        Tensor x = Tensor.of(new float[400], 400).requiresGrad(true);
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            Tensor three = Tensor.ones(400).mul(3.0);
            x.mul(three).sum().backward();
        }
        float[] expected = new float[400];
        Arrays.fill(expected, 3f);
        assertArrayEquals(expected, x.grad().toFloatArray());
        try (MemoryWorkspace ws = step(); StepArrays.Scope scope = arrays.lend(ws)) {
            // the next step writes every array the last one lent
            for (int i = 0; i < 8; i++) {
                Arrays.fill(StepArrays.floats(400), -1f);
            }
        }
        assertArrayEquals(expected, x.grad().toFloatArray(), "x.grad() is a copy, not the step's array");
    }
}
