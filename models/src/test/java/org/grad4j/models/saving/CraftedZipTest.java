package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crafted archives of {@link G4jFormatLimitsTest} are real zips whose entries inflate to exactly what they
 * claim, CRC included: a refusal there is the size check at work, not a broken file.
 */
class CraftedZipTest {
    @TempDir
    Path dir;

    @Test
    void aRepeatedRunInflatesToItsFullLengthWithTheRightChecksum() throws IOException {
        byte[] head = "head:".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ":tail".getBytes(StandardCharsets.US_ASCII);
        long count = 7L * (1 << 20) + 12_345;   // several repeated mebibytes and a remainder
        CraftedZip.Entry run = CraftedZip.deflatedRun("run.txt", head, (byte) 'x', count, tail);
        byte[] zip = new CraftedZip().add(CraftedZip.stored("a.txt", new byte[] {1, 2, 3})).add(run).bytes();
        assertTrue(zip.length < 50_000, "compressed to " + zip.length + " bytes");

        // ZipInputStream checks the CRC and the sizes in the local header at the end of each entry
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            assertEquals("a.txt", in.getNextEntry().getName());
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
            assertEquals("run.txt", in.getNextEntry().getName());
            assertContent(in, head, count, tail);
            assertNull(in.getNextEntry());
        }
        Path file = dir.resolve("run.zip");
        Files.write(file, zip);
        try (ZipFile zipFile = new ZipFile(file.toFile())) {
            ZipEntry entry = zipFile.getEntry("run.txt");
            assertEquals(head.length + count + tail.length, entry.getSize());
            try (InputStream in = zipFile.getInputStream(entry)) {
                assertContent(in, head, count, tail);
            }
        }
    }

    private static void assertContent(InputStream in, byte[] head, long count, byte[] tail) throws IOException {
        assertArrayEquals(head, in.readNBytes(head.length));
        byte[] chunk = new byte[1 << 16];
        long left = count;
        while (left > 0) {
            int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, left));
            assertTrue(n > 0, "the run ends " + left + " bytes early");
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 'x') {
                    throw new AssertionError("byte " + (count - left + i) + " of the run is " + chunk[i]);
                }
            }
            left -= n;
        }
        assertArrayEquals(tail, in.readAllBytes());
    }

    @Test
    void aDeclaredSizeCanLie() throws IOException {
        CraftedZip.Entry run = CraftedZip.deflatedRun("run.txt", new byte[0], (byte) 0, 3 << 20, new byte[0]).declaring(10);
        Path file = dir.resolve("lie.zip");
        Files.write(file, new CraftedZip().add(run).bytes());
        try (ZipFile zipFile = new ZipFile(file.toFile())) {
            assertEquals(10, zipFile.getEntry("run.txt").getSize());
            try (InputStream in = zipFile.getInputStream(zipFile.getEntry("run.txt"))) {
                assertEquals(3 << 20, in.readAllBytes().length, "ZipFile inflates past the declared size");
            }
        }
    }
}
