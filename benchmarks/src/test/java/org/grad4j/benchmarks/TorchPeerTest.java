package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch peer's session protocol, against a stand-in peer written in sh (no Python needed): READY, then a
 * "SECONDS s" answer per BLOCK line; other lines are passed over; a peer that ends or answers nonsense is an
 * error quoting what it said.
 */
class TorchPeerTest {

    /** A peer that prints a warning, gets ready and answers every block with {@code answer}. */
    private static TorchPeer.Session peer(String answer) throws Exception {
        String script = "echo 'UserWarning: something'; echo READY; while read line; do [ \"$line\" = BLOCK ] || exit 0; "
                + "echo 'noise'; echo '" + answer + "'; done";
        return new TorchPeer.Session(List.of("sh", "-c", script));
    }

    @Test
    void eachBlockIsTimedByThePeersOwnClock() throws Exception {
        try (TorchPeer.Session s = peer("SECONDS 0.002")) {
            assertEquals(Report.TORCH, s.name());
            assertFalse(s.inProcess(), "its CPU time is not this JVM's");
            s.run(100);
            assertEquals(2e6, s.selfTimedNanosPerStep(), 1e-3);
        }
    }

    @Test
    void theContestTakesTheSelfTimedSeconds() throws Exception {
        try (TorchPeer.Session s = peer("SECONDS 4e-05")) {
            Map<String, Stats> times = new Contest(1, 5, 10).run(List.of(s), StepUnit.MICROS);
            assertEquals(40.0, times.get(Report.TORCH).median(), 1e-9);
        }
    }

    @Test
    void aPeerThatEndsBeforeItIsReadyIsAnErrorQuotingItsLastLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TorchPeer.Session(
                List.of("sh", "-c", "echo Traceback; echo \"ModuleNotFoundError: No module named 'torch'\"")));
        assertTrue(e.getMessage().contains("No module named 'torch'"), e.getMessage());
    }

    @Test
    void aBadAnswerIsNamed() throws Exception {
        try (TorchPeer.Session s = peer("SECONDS x")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.run(1));
            assertTrue(e.getMessage().contains("\"SECONDS x\""), e.getMessage());
        }
    }

    @Test
    void pythonsAreTriedInTheDocumentedOrder() {
        var c = TorchPeer.candidates();
        assertEquals("/usr/bin/python3", c.get(c.size() - 1));
        assertEquals("python3", c.get(c.size() - 2));
    }

    @Test
    void aPeerOnTheReferenceBlasIsSaidToBeSlow() {
        String fast = TorchPeer.describe(new TorchPeer.Probe("/usr/bin/python3", "1.13.0", 48.0, null));
        assertEquals("PyTorch peer: /usr/bin/python3, torch 1.13.0, 2 threads, a 512x512x512 product at 48.0 GFLOP/s", fast);
        String slow = TorchPeer.describe(new TorchPeer.Probe("/usr/bin/python3", "1.13.0", 4.9, null));
        assertTrue(slow.contains("at 4.9 GFLOP/s (slow:") && slow.contains("libopenblas0"), slow);
        String unknown = TorchPeer.describe(new TorchPeer.Probe("python3", "2.1", Double.NaN, null));
        assertEquals("PyTorch peer: python3, torch 2.1, 2 threads", unknown);
        assertEquals("PyTorch peer: skipped, GRAD4J_PYTHON=none",
                TorchPeer.describe(new TorchPeer.Probe(null, null, Double.NaN, "GRAD4J_PYTHON=none")));
    }
}
