package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The raw lines one input batch forwards, copied into blocks: runs of consecutive lines bound for the
 * same outputs, up to {@value #MAX_LINES} lines and {@value #MAX_BYTES} bytes (a longer line is a
 * block of its own), each line followed by '\n', with its added fields before its closing '}'. A block
 * is one direct buffer shared read-only by its outputs, so a queued line costs no object, write or
 * completion of its own. {@link #add} notes a line while the batch's bytes are live; {@link #seal}
 * copies the lines noted, and must run before those bytes are reused; {@link #offer} hands the blocks
 * to their outputs in order. A block that gets no direct memory is counted dropped on each of its
 * outputs. Not thread-safe: filled on one thread, then offered or released on another after a
 * hand-over that publishes it (an executor's queue).
 */
public final class RawLineBlocks {
    static final int MAX_LINES = 512;
    static final int MAX_BYTES = 64 * 1024;

    private final Outputs outputs;
    /** The run of lines noted and not yet copied, all bound for {@code runOutputs}, all in {@code runBytes}. */
    private final int[] starts = new int[MAX_LINES];
    private final int[] lengths = new int[MAX_LINES];
    private final int[] braces = new int[MAX_LINES];
    private final byte[][] inserts = new byte[MAX_LINES][];
    private byte[] runSource;
    private long runOutputs;
    private int runLines;
    private int runBytes;
    /** Blocks copied, in order. */
    private ByteBuf[] blocks = new ByteBuf[4];
    private long[] blockOutputs = new long[4];
    private int[] blockLines = new int[4];
    private int sealed;

    RawLineBlocks(Outputs outputs) {
        this.outputs = outputs;
    }

    /**
     * Notes the line {@code buf[off, off + len)} (no line ending) for the outputs {@code to} (as {@link
     * Outputs#forwarding} gives them; none: the line is not noted), with {@code insert} (JSON members
     * such as {@code ,"k":"v"}, or nothing) to be placed before its closing '}' (the last byte other than
     * blanks; without one it is not inserted). {@code buf} must stay unchanged until {@link #seal}.
     */
    public void add(long to, byte[] buf, int off, int len, byte[] insert) {
        if (to == 0) {
            return;
        }
        int brace = insert.length > 0 ? closingBrace(buf, off, len) : -1;
        int size = len + (brace < 0 ? 0 : insert.length) + 1;
        if (runLines > 0 && (to != runOutputs || buf != runSource || runLines == MAX_LINES
                || runBytes + size > MAX_BYTES)) {
            seal();
        }
        runSource = buf;
        runOutputs = to;
        starts[runLines] = off;
        lengths[runLines] = len;
        braces[runLines] = brace;
        inserts[runLines] = brace < 0 ? null : insert;
        runLines++;
        runBytes += size;
    }

    /** Copies the lines noted so far into a block (or counts them dropped when there is no direct memory for it). */
    public void seal() {
        if (runLines == 0) {
            return;
        }
        ByteBuf block = outputs.directBuffer(runBytes, runLines + " lines");
        if (block == null) {
            outputs.dropUncopied(runOutputs, runLines);
        } else {
            for (int i = 0; i < runLines; i++) {
                int off = starts[i];
                int brace = braces[i];
                if (brace < 0) {
                    block.writeBytes(runSource, off, lengths[i]);
                } else {
                    block.writeBytes(runSource, off, brace - off).writeBytes(inserts[i])
                            .writeBytes(runSource, brace, off + lengths[i] - brace);
                }
                block.writeByte('\n');
            }
            append(block, runOutputs, runLines);
        }
        clearRun();
    }

    /** Seals, then offers every block to its outputs, in order; this holds nothing afterwards. */
    public void offer() {
        seal();
        for (int i = 0; i < sealed; i++) {
            outputs.offerRaw(blockOutputs[i], blocks[i], blockLines[i]);
            blocks[i] = null;
        }
        sealed = 0;
    }

    /** Releases the blocks and forgets the lines not yet copied (neither reaches an output). */
    public void release() {
        for (int i = 0; i < sealed; i++) {
            blocks[i].release();
            blocks[i] = null;
        }
        sealed = 0;
        clearRun();
    }

    /** Forgets the run noted (its lines are copied or dropped, or never will be). */
    private void clearRun() {
        Arrays.fill(inserts, 0, runLines, null);
        runSource = null;
        runLines = 0;
        runBytes = 0;
    }

    /** Lines copied into blocks and not yet offered or released (for tests). */
    int blockCount() {
        return sealed;
    }

    private void append(ByteBuf block, long to, int lines) {
        if (sealed == blocks.length) {
            blocks = Arrays.copyOf(blocks, sealed * 2);
            blockOutputs = Arrays.copyOf(blockOutputs, sealed * 2);
            blockLines = Arrays.copyOf(blockLines, sealed * 2);
        }
        blocks[sealed] = block;
        blockOutputs[sealed] = to;
        blockLines[sealed] = lines;
        sealed++;
    }

    /** The index of the line's closing '}' (only blanks after it), or -1. */
    private static int closingBrace(byte[] buf, int off, int len) {
        for (int i = off + len - 1; i >= off; i--) {
            byte b = buf[i];
            if (b == '}') {
                return i;
            }
            if (b != ' ' && b != '\t' && b != '\r') {
                return -1;
            }
        }
        return -1;
    }
}
