package org.grad4j.core.internal;

/**
 * JavaCPP settings grad4j chooses for its users, applied when the first grad4j class that can touch ND4J loads,
 * before ND4J does. JavaCPP reads them once, when its {@code Pointer} class initializes, so they must be
 * system properties by then; a value the user set ({@code -D...} or {@code System.setProperty} earlier) wins.
 *
 * <p>{@code org.bytedeco.javacpp.maxphysicalbytes=0}: by default JavaCPP reads {@code /proc/self/statm} on every
 * native pointer it tracks, to compare the resident size with twice {@code -Xmx}, and ND4J creates such
 * pointers for every op it runs, even inside a workspace: a 784-128-10 training step read it about 90 times
 * (a system call each, and a sizable share of the step). Without it JavaCPP still frees pointers when the
 * garbage collector finds them, still bounds the memory it counts by {@code maxbytes} (which defaults to
 * {@code -Xmx}) and still collects garbage before refusing an allocation; grad4j's own {@code MemoryBudget}
 * still checks large arrays against the machine's available memory. The pointer GC stays on: turning it off
 * ({@code nopointergc}) leaks libnd4j's per-op bookkeeping.
 *
 * <p>Code that uses ND4J before any grad4j class misses this; it can pass the same property on the command line.
 */
public final class NativeDefaults {
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final String MAX_PHYSICAL_BYTES_CAMEL = "org.bytedeco.javacpp.maxPhysicalBytes";

    static {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty(MAX_PHYSICAL_BYTES_CAMEL) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }

    private NativeDefaults() {
    }

    /** Makes sure the defaults are set; the first call does it, the others cost nothing. */
    public static void apply() {
        // the static initializer has run by the time this body does
    }
}
