package org.grad4j.models.saving;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte, as an attacker would: entries may inflate to gigabytes from a few
 * megabytes, and the sizes the headers declare may lie. Nothing large is ever held: a long run of one byte is
 * compressed a mebibyte at a time, and since every mebibyte after the first compresses to the same bytes (its
 * back-references only reach the run itself), one compressed mebibyte is repeated. Sizes stay below 4 GiB
 * (no zip64).
 */
final class CraftedZip {
    private static final int MIB = 1 << 20;

    /** One entry: its name, method, stored bytes, CRC and real size, and the size its headers declare. */
    record Entry(String name, int method, byte[] data, long crc, long size, long declaredSize) {
        /** The same entry with headers claiming {@code declared} bytes. */
        Entry declaring(long declared) {
            return new Entry(name, method, data, crc, size, declared);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    CraftedZip add(Entry entry) {
        entries.add(entry);
        return this;
    }

    /** An entry stored as it is. */
    static Entry stored(String name, byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return new Entry(name, 0, bytes, crc.getValue(), bytes.length, bytes.length);
    }

    /** A deflated entry holding {@code head}, then {@code count} copies of {@code filler}, then {@code tail}. */
    static Entry deflatedRun(String name, byte[] head, byte filler, long count, byte[] tail) {
        byte[] block = new byte[MIB];
        Arrays.fill(block, filler);
        CRC32 crc = new CRC32();
        crc.update(head);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            compress(deflater, head, Deflater.NO_FLUSH, out);
            long blocks = count / MIB;
            byte[] repeated = null;
            for (long i = 0; i < blocks; i++) {
                crc.update(block);
                if (i < 2) {
                    // the second mebibyte is compressed with a window full of the run: its bytes can be repeated
                    byte[] compressed = compress(deflater, block, Deflater.SYNC_FLUSH, out);
                    repeated = compressed;
                } else {
                    out.writeBytes(repeated);
                }
            }
            byte[] rest = Arrays.copyOf(block, (int) (count % MIB));
            crc.update(rest);
            crc.update(tail);
            compress(deflater, rest, Deflater.NO_FLUSH, out);
            compress(deflater, tail, Deflater.NO_FLUSH, out);
            deflater.finish();
            compress(deflater, new byte[0], Deflater.NO_FLUSH, out);
        } finally {
            deflater.end();
        }
        long size = head.length + count + tail.length;
        return new Entry(name, 8, out.toByteArray(), crc.getValue(), size, size);
    }

    /** Feeds {@code input} and returns (and writes to {@code out}) what the deflater gives for it. */
    private static byte[] compress(Deflater deflater, byte[] input, int flush, ByteArrayOutputStream out) {
        ByteArrayOutputStream produced = new ByteArrayOutputStream();
        deflater.setInput(input);
        byte[] buffer = new byte[1 << 16];
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, flush);
            produced.write(buffer, 0, n);
            boolean drained = deflater.finished() || deflater.needsInput() && n < buffer.length;
            if (drained) {
                break;
            }
        }
        byte[] bytes = produced.toByteArray();
        out.writeBytes(bytes);
        return bytes;
    }

    /** The archive: local headers with the data, the central directory, the end record. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer local = little(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) e.method())
                    .putInt(0).putInt((int) e.crc()).putInt(e.data().length).putInt((int) e.declaredSize())
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(e.data());
        }
        long directoryStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer central = little(46 + name.length);
            central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) e.method()).putInt(0).putInt((int) e.crc()).putInt(e.data().length)
                    .putInt((int) e.declaredSize()).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (long) offsets.get(i)).put(name);
            out.writeBytes(central.array());
        }
        long directorySize = out.size() - directoryStart;
        ByteBuffer end = little(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt((int) directorySize).putInt((int) directoryStart).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
