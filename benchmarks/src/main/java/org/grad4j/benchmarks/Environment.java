package org.grad4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place that sets the threads both sides run with, and prints them. libnd4j's element-wise
 * threads come from {@code OMP_NUM_THREADS} (the run script sets 1 for W1-W5: its OpenMP pool and OpenBLAS's
 * threads would oversubscribe 2 cores; W6 and W7 run without it, and grad4j sets the same itself); OpenBLAS gets {@link #BLAS_THREADS} of its own, because ND4J
 * otherwise ties it to the same variable and the wide GEMMs of W5 would run on one core.
 * grad4j and DL4J share the JVM, so they share this configuration. {@code -Dbenchmarks.blasThreads=N}
 * overrides the BLAS threads, to compare.
 */
final class Environment {
    static final int BLAS_THREADS = Integer.getInteger("benchmarks.blasThreads", 2);

    private Environment() {
    }

    /** Sets the BLAS threads; idempotent, and cheap enough to call before every block. */
    static void configure() {
        if (Nd4j.factory().blas().getMaxThreads() != BLAS_THREADS) {
            Nd4j.factory().blas().setMaxThreads(BLAS_THREADS);
        }
    }

    /** One line per fact, for the top of a benchmark's output. */
    static String describe() {
        org.grad4j.core.Tensor.scalar(0f);   // grad4j's thread defaults are set when its Tensor class loads: show them
        StringBuilder s = new StringBuilder();
        s.append("environment\n");
        s.append("  OMP_NUM_THREADS=").append(System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"))
                .append("  libnd4j maxThreads=").append(Nd4j.getEnvironment().maxThreads()).append(" maxMasterThreads=").append(Nd4j.getEnvironment().maxMasterThreads())
                .append("  BLAS ").append(Nd4j.factory().blas().getBlasVendor())
                .append(" maxThreads=").append(Nd4j.factory().blas().getMaxThreads())
                // OpenBLAS picks its kernels from the CPU unless this names them: every product's speed hangs on it
                .append("  OPENBLAS_CORETYPE=").append(System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset")).append('\n');
        s.append("  javacpp nopointergc=").append(System.getProperty("org.bytedeco.javacpp.nopointergc", "unset"))
                .append(" maxphysicalbytes=").append(System.getProperty("org.bytedeco.javacpp.maxphysicalbytes", "unset"))
                .append(" maxbytes=").append(System.getProperty("org.bytedeco.javacpp.maxbytes", "unset"))
                .append(" (effective maxPhysicalBytes=").append(Pointer.maxPhysicalBytes())
                .append(", maxBytes=").append(Pointer.maxBytes()).append(")\n");
        if (Boolean.getBoolean("org.bytedeco.javacpp.nopointergc")) {
            s.append("  with nopointergc ND4J frees no array on garbage collection: only close() and workspace reuse free native memory\n");
        }
        s.append("  ND4J ").append(version("org.nd4j", "nd4j-api")).append(" (").append(Nd4j.getBackend().getClass().getSimpleName())
                .append("), DL4J ").append(version("org.deeplearning4j", "deeplearning4j-nn")).append('\n');
        s.append("  CPUs=").append(Runtime.getRuntime().availableProcessors())
                .append("  Java ").append(System.getProperty("java.version"))
                .append("  heap max=").append(Runtime.getRuntime().maxMemory() >> 20).append(" MB");
        return s.toString();
    }

    /** The version Maven recorded in the artifact's jar, or "unknown". */
    private static String version(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Environment.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
