package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * grad4j's JavaCPP default reaches JavaCPP only in a JVM where grad4j loads first, and never overrides a user's
 * value; each case therefore runs in a fresh JVM. Also: which products get one BLAS thread.
 */
class NativeDefaultsTest {

    /** Run in a fresh JVM: touches ND4J through grad4j's {@code Tensor}, or through ND4J itself with "nd4j-first". */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("nd4j-first")) {
            Nd4j.create(new float[] {1f}, new long[] {1}, 'c');
            Tensor.of(new float[] {1f}, 1);
        } else {
            // past the small size, so the sum is an ND4J array made after grad4j's first class loaded
            Tensor big = Tensor.of(new float[8192], 8192);
            big.add(big).array();
        }
        System.out.println("MAX_PHYSICAL_BYTES " + Pointer.maxPhysicalBytes());
        System.out.println("MASTER_THREADS " + Nd4j.getEnvironment().maxMasterThreads());
    }

    private static long maxPhysicalBytesInFreshJvm(String... extra) throws IOException, InterruptedException {
        return probe("MAX_PHYSICAL_BYTES ", null, extra);
    }

    /** The probe's line {@code key}, in a fresh JVM whose OMP_NUM_THREADS is {@code omp} (null: unset). */
    private static long probe(String key, String omp, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        for (String e : extra) {
            if (e.startsWith("-D")) {
                command.add(e);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NativeDefaultsTest.class.getName());
        for (String e : extra) {
            if (!e.startsWith("-D")) {
                command.add(e);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (omp == null) {
            builder.environment().remove("OMP_NUM_THREADS");
        } else {
            builder.environment().put("OMP_NUM_THREADS", omp);
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish: " + out);
        for (String line : out.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim());
            }
        }
        throw new AssertionError("the probe JVM printed no " + key + "line (exit " + p.exitValue() + "):\n" + out);
    }

    @Test
    void grad4jLoadedFirstTurnsOffTheResidentSizeCheck() throws Exception {
        assertEquals(0, maxPhysicalBytesInFreshJvm());
    }

    @Test
    void aValueTheUserSetWins() throws Exception {
        assertEquals(3L << 30, maxPhysicalBytesInFreshJvm("-Dorg.bytedeco.javacpp.maxphysicalbytes=3g"));
        assertEquals(3L << 30, maxPhysicalBytesInFreshJvm("-Dorg.bytedeco.javacpp.maxPhysicalBytes=3g"));
    }

    @Test
    void nd4jLoadedFirstKeepsJavaCppsOwnDefault() throws Exception {
        // documented: grad4j cannot change a setting JavaCPP has already read (twice -Xmx by default)
        long max = maxPhysicalBytesInFreshJvm("nd4j-first");
        assertTrue(max > 0, "JavaCPP's default is a limit, got " + max);
    }

    @Test
    void plainJavaGivesLibnd4jOneThreadUnlessTheUserSaysOtherwise() throws Exception {
        // without the variable libnd4j would split its ops over every core and spin its idle workers
        assertEquals(1, probe("MASTER_THREADS ", null));
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 cores");
        assertEquals(2, probe("MASTER_THREADS ", "2"));
        assertEquals(2, probe("MASTER_THREADS ", null, "-Dgrad4j.nd4jThreads=2"));
    }

    @Test
    void smallProductsGetOneBlasThreadLargeOnesEvery() {
        BlasThreads.configure();
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("grad4j.blasSmallProduct") == null,
                "the bound is the default one");
        assertEquals(1, BlasThreads.forProduct(32L * 784 * 128));
        assertEquals(1, BlasThreads.forProduct(BlasThreads.SMALL_PRODUCT - 1));
        int wide = Math.max(1, Integer.getInteger("grad4j.blasThreads", Runtime.getRuntime().availableProcessors()));
        assertEquals(wide, BlasThreads.forProduct(BlasThreads.SMALL_PRODUCT));
        assertEquals(wide, BlasThreads.forProduct(256L * 1024 * 2048));
    }

    @Test
    void aProductSetsTheCountItNeeds() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("grad4j.blasSmallProduct") == null,
                "the bound is the default one");
        Tensor a = Tensor.of(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 64));
        Nd4j.factory().blas().setMaxThreads(2);
        a.matmul(a);   // 262,144 multiply-adds: one thread
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }
}
