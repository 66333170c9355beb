package org.grad4j.models.saving;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes on at most {@code limit} bytes and fails on the first byte beyond, counting what really comes out of
 * an inflater rather than believing the size a zip header declares: a few megabytes of deflated zeros inflate
 * to gigabytes. The failure is remembered, so that the reader of a zip entry can report it even when the
 * parser it fed caught it and reported something else.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final String overrun;
    private long count;
    private IllegalArgumentException failure;

    /** @param overrun the message when more than {@code limit} bytes come */
    LimitedInputStream(InputStream in, long limit, String overrun) {
        super(in);
        this.limit = limit;
        this.overrun = overrun;
    }

    @Override
    public int read() throws IOException {
        if (count >= limit) {
            return probe();
        }
        int b = in.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (count >= limit) {
            return probe();
        }
        int n = in.read(b, off, (int) Math.min(len, limit - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /** At the limit: the end of the stream gives -1; one more byte is the overrun, which throws. */
    private int probe() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        failure = new IllegalArgumentException(overrun);
        throw failure;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The overrun, if one happened, whatever the caller did with the exception. */
    IllegalArgumentException failure() {
        return failure;
    }
}
