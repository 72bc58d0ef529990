package org.eveflow.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a config file is: its dotted path ("outputs.siem.socket", "input.allowed-uids[1]")
 * to the line and column at which it starts, so that a message about a key can point at its line.
 * Built from the same YAML parser that reads the file; a key not in the file is located at its
 * nearest section that is. Immutable once built; thread-safe.
 */
final class KeyPlaces {
    /** A position in the file, 1-based as editors count. */
    record Place(int line, int column) {
        /** "FILE:LINE:COLUMN", as compilers write a place and editors jump to it. */
        String in(Path file) {
            return file + ":" + line + ":" + column;
        }
    }

    private static final KeyPlaces NONE = new KeyPlaces(Map.of(), null, null);
    private final Map<String, Place> places;
    private final String duplicate;
    private final Place duplicatePlace;

    private KeyPlaces(Map<String, Place> places, String duplicate, Place duplicatePlace) {
        this.places = places;
        this.duplicate = duplicate;
        this.duplicatePlace = duplicatePlace;
    }

    static KeyPlaces none() {
        return NONE;
    }

    /** The places of every key and list item in {@code yaml}; none when it cannot be parsed. */
    static KeyPlaces read(String yaml) {
        Map<String, Place> found = new HashMap<>();
        Deque<String> path = new ArrayDeque<>(); // one entry per open container: its dotted path
        Deque<int[]> index = new ArrayDeque<>(); // per open container: the next list index, or -1 for a mapping
        String pendingKey = null;
        String duplicate = null;
        Place duplicatePlace = null;
        try (JsonParser p = ConfigLoader.YAML.createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    String parent = path.isEmpty() ? "" : path.peek();
                    pendingKey = parent.isEmpty() ? p.currentName() : parent + "." + p.currentName();
                    Place at = place(p.currentTokenLocation());
                    if (found.putIfAbsent(pendingKey, at) != null && duplicate == null) {
                        duplicate = pendingKey;
                        duplicatePlace = at;
                    }
                    continue;
                }
                String here = pendingKey;
                pendingKey = null;
                if (here == null && !index.isEmpty() && index.peek()[0] >= 0) { // an item of a list
                    here = path.peek() + "[" + index.peek()[0]++ + "]";
                    found.putIfAbsent(here, place(p.currentTokenLocation()));
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    path.push(here == null ? "" : here);
                    index.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    path.pop();
                    index.pop();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the reader reports the syntax error with its own place
        }
        return new KeyPlaces(Map.copyOf(found), duplicate, duplicatePlace);
    }

    /** The first key that appears a second time in its section (dotted), or null. */
    String duplicate() {
        return duplicate;
    }

    /** Where {@link #duplicate()} appears the second time. */
    Place duplicatePlace() {
        return duplicatePlace;
    }

    /** The place of {@code dottedKey}, else of its nearest enclosing section in the file, else null. */
    Place find(String dottedKey) {
        for (String k = dottedKey; !k.isEmpty(); k = parent(k)) {
            Place p = places.get(k);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String parent(String key) {
        int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
        return cut < 0 ? "" : key.substring(0, cut);
    }

    private static Place place(JsonLocation l) {
        return new Place(l.getLineNr(), l.getColumnNr());
    }
}
