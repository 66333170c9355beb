package org.grad4j.core;

import org.bytedeco.javacpp.Pointer;

/**
 * How many bytes of new arrays this process can still take: the rule {@link MemoryBudget} checks before a
 * weight, an optimizer slot or an array read from a file is allocated.
 *
 * <p>ND4J keeps arrays outside the Java heap, so {@code -Xmx} alone does not stop them: a file asking for
 * 40 GB would be granted until the machine runs out. The headroom is the smaller of
 * <ul>
 * <li>the <b>allowance</b>: JavaCPP's {@code maxBytes} less what JavaCPP has counted, the off-heap limit ND4J
 *     documents ({@code -Dorg.bytedeco.javacpp.maxbytes}), which defaults to {@code -Xmx}. Nothing that is
 *     freed changes it, so an allocation beyond it is refused at once;
 * <li>the <b>physical memory left</b>: JavaCPP's {@code maxPhysicalBytes} less this process's resident size,
 *     and the memory the operating system reports as available. Both grow when garbage is collected.
 * </ul>
 * A limit the platform does not report (0) is left out.
 */
final class MemoryHeadroom {
    private MemoryHeadroom() {
    }

    /** The allowance: what no collection can raise. */
    static long allowance() {
        long max = Pointer.maxBytes();
        return max > 0 ? Math.max(0, max - Pointer.totalBytes()) : Long.MAX_VALUE;
    }

    /** The physical memory left, now. */
    static long physical() {
        long left = Long.MAX_VALUE;
        long maxPhysical = Pointer.maxPhysicalBytes();
        if (maxPhysical > 0) {
            left = Math.max(0, maxPhysical - Pointer.physicalBytes());
        }
        long available = Pointer.availablePhysicalBytes();
        if (available > 0) {
            left = Math.min(left, available);
        }
        return left;
    }

    /**
     * The physical memory left once garbage has been collected: arrays nobody holds still count in the
     * resident size until the collector has run and ND4J's deallocator threads have freed them, which is
     * what JavaCPP itself waits for before it gives up on an allocation. Called only when a request does not
     * fit, so ordinary loads never pay for a collection.
     */
    static long physicalAfterCollection(long needed) {
        System.gc();
        long left = physical();
        for (int i = 0; i < 5 && left < needed; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = physical();
        }
        return left;
    }

    /** How the allowance is set, for messages. */
    static String allowanceRule() {
        return "JavaCPP's maxBytes, the off-heap limit for ND4J arrays: -Xmx unless -Dorg.bytedeco.javacpp.maxbytes is set";
    }
}
