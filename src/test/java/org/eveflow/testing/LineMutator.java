package org.eveflow.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages EVE lines the way real streams do (cut, glued, a byte lost or inserted, blanks around) and
 * the way a fuzzer would (JSON punctuation in odd places). Never produces a '\n'. Pure.
 */
public final class LineMutator {
    private static final byte[] SPECIALS = "{}[]\":,\\ \t\r0-9eE.nultrfas\u00ff\u0000"
            .getBytes(StandardCharsets.ISO_8859_1);

    private LineMutator() {
    }

    /** One random mutation of {@code l}; {@code glue} is a record whose head may be glued on. */
    public static byte[] mutate(SplittableRandom r, byte[] l, byte[] glue) {
        int at = l.length == 0 ? 0 : r.nextInt(l.length);
        switch (r.nextInt(5)) {
            case 0: { // a byte lost
                if (l.length == 0) {
                    return l;
                }
                byte[] o = new byte[l.length - 1];
                System.arraycopy(l, 0, o, 0, at);
                System.arraycopy(l, at + 1, o, at, l.length - at - 1);
                return o;
            }
            case 1: { // a byte inserted
                byte[] o = new byte[l.length + 1];
                System.arraycopy(l, 0, o, 0, at);
                o[at] = SPECIALS[r.nextInt(SPECIALS.length)];
                System.arraycopy(l, at, o, at + 1, l.length - at);
                return o;
            }
            case 2: // cut (a partial write)
                return Arrays.copyOf(l, at);
            case 3: { // cut, then another record's head glued on
                int n = glue.length / 2;
                byte[] o = Arrays.copyOf(l, at + n);
                System.arraycopy(glue, 0, o, at, n);
                return o;
            }
            default: { // blanks around
                byte[] pad = r.nextBoolean() ? new byte[] {' ', '\t'} : new byte[] {'\r'};
                byte[] o = new byte[l.length + 2 * pad.length];
                System.arraycopy(pad, 0, o, 0, pad.length);
                System.arraycopy(l, 0, o, pad.length, l.length);
                System.arraycopy(pad, 0, o, pad.length + l.length, pad.length);
                return o;
            }
        }
    }
}
