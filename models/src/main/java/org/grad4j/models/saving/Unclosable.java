package org.grad4j.models.saving;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A view of a stream that its user may close without closing the stream: a zip written into an entry of
 * another zip, or into a file that must still be synced after the zip is complete, is closed (which frees its
 * native deflater) while the stream beneath stays open.
 */
final class Unclosable extends FilterOutputStream {
    Unclosable(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);   // FilterOutputStream would write byte by byte
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
