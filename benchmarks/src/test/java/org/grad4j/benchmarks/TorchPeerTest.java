package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The PyTorch script's output becomes statistics in the workload's unit; anything else is refused, quoted. */
class TorchPeerTest {

    @Test
    void blocksOfSecondsPerStepBecomeMediansInTheUnit() {
        Stats s = TorchPeer.blocks("some warning\nBLOCKS 0.002 0.001 0.003\n", StepUnit.MILLIS);
        assertEquals(2.0, s.median(), 1e-9);
        assertEquals(1.0, s.min(), 1e-9);
        assertEquals(3.0, s.max(), 1e-9);
        assertEquals(40.0, TorchPeer.blocks("BLOCKS 4e-05", StepUnit.MICROS).median(), 1e-9);
    }

    @Test
    void noBlocksLineIsAnErrorNamingTheLastLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchPeer.blocks("Traceback\nModuleNotFoundError: No module named 'torch'\n", StepUnit.MILLIS));
        assertTrue(e.getMessage().contains("No module named 'torch'"), e.getMessage());
    }

    @Test
    void aBadNumberIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchPeer.blocks("BLOCKS 0.1 x", StepUnit.MILLIS));
        assertTrue(e.getMessage().contains("block 2") && e.getMessage().contains("\"x\""), e.getMessage());
    }

    @Test
    void pythonsAreTriedInTheDocumentedOrder() {
        var c = TorchPeer.candidates();
        assertEquals("/usr/bin/python3", c.get(c.size() - 1));
        assertEquals("python3", c.get(c.size() - 2));
    }
}
