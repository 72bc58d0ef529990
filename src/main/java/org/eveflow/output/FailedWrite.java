package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * What a failed write of a buffer of whole lines left behind, from how many of its bytes the kernel
 * had taken: the lines it took whole (written), whether it took only the start of the next one
 * (that line is lost: re-sending it would split it across connections), and the untouched lines
 * from {@code restFrom} on (they can go out on the next connection). Immutable.
 */
record FailedWrite(int whole, boolean cut, int restFrom, int rest) {
    /** For {@code lines} lines starting at index {@code start} of {@code b}, {@code sent} bytes of them taken. */
    static FailedWrite of(ByteBuf b, int start, int sent, int lines) {
        int whole = lineEnds(b, start, sent);
        boolean cut = sent > 0 && b.getByte(start + sent - 1) != '\n';
        int from = start + sent;
        if (cut) {
            int lf = b.indexOf(from, b.writerIndex(), (byte) '\n');
            from = lf < 0 ? b.writerIndex() : lf + 1;
        }
        return new FailedWrite(whole, cut, from, lines - whole - (cut ? 1 : 0));
    }

    /** How many line ends ('\n') {@code b} has in {@code [from, from + bytes)} (absolute indices). */
    static int lineEnds(ByteBuf b, int from, int bytes) {
        int n = 0;
        int end = from + bytes;
        while (from < end) {
            int lf = b.forEachByte(from, end - from, ByteProcessor.FIND_LF);
            if (lf < 0) {
                break;
            }
            n++;
            from = lf + 1;
        }
        return n;
    }
}
