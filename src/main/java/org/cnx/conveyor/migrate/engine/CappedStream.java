package org.cnx.conveyor.migrate.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through and fails once more than a set number of bytes came out of it. */
final class CappedStream extends FilterInputStream {

    /** More bytes than allowed. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("stream larger than its cap");
        }
    }

    private final long max;
    private long count;

    CappedStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLarge {
        count += n;
        if (count > max) {
            throw new TooLarge();
        }
    }
}
