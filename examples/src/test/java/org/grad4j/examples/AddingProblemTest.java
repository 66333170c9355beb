package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The adding problem's sequences hold what its definition says, and its baseline scores the promised 1/6. */
class AddingProblemTest {

    @Test
    void eachSequenceMarksOneStepInEachHalfAndItsTargetIsTheirSum() {
        int length = 9;
        AddingProblem problem = AddingProblem.generate(300, length, 3);
        assertArrayEquals(new long[] {300, length, 2}, problem.inputs().shape());
        assertArrayEquals(new long[] {300, 1}, problem.targets().shape());
        for (int n = 0; n < problem.samples(); n++) {
            int[] marked = problem.marked(n);
            assertTrue(marked[0] < length / 2 && marked[1] >= length / 2 && marked[1] < length, n + ": " + marked[0] + ", " + marked[1]);
            double sum = 0;
            int markers = 0;
            for (int t = 0; t < length; t++) {
                double value = problem.inputs().getDouble(n, t, 0);
                double marker = problem.inputs().getDouble(n, t, 1);
                assertTrue(value >= 0 && value < 1, "value " + value);
                assertTrue(marker == 0 || marker == 1, "marker " + marker);
                if (marker == 1) {
                    markers++;
                    sum += value;
                    assertTrue(t == marked[0] || t == marked[1], "marker at " + t);
                }
            }
            assertEquals(2, markers, "sample " + n);
            assertEquals(sum, problem.targets().getDouble(n, 0), 1e-6, "sample " + n);
        }
    }

    @Test
    void alwaysAnsweringOneScoresASixthAndTheSameSeedGivesTheSameSequences() {
        AddingProblem problem = AddingProblem.generate(20_000, 4, 11);
        // the squared error of one sample has standard deviation 0.197, so the mean of 20,000 is within 0.006 (4 sigma)
        assertEquals(AddingProblem.BASELINE_MSE, problem.constantMse(AddingProblem.BASELINE_ANSWER), 0.006);
        // answering the mean is best: any other constant adds its squared distance from 1
        assertEquals(problem.constantMse(1.0) + 0.25, problem.constantMse(1.5), 0.01);
        assertEquals(problem.inputs(), AddingProblem.generate(20_000, 4, 11).inputs());
        assertTrue(!problem.inputs().equals(AddingProblem.generate(20_000, 4, 12).inputs()), "another seed, other sequences");
    }

    @Test
    void tooShortASequenceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddingProblem.generate(5, 1, 0));
        assertTrue(e.getMessage().contains("length >= 2") && e.getMessage().contains("length 1"), e.getMessage());
    }
}
