package org.eveflow.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error as one line an operator can act on: "FILE:LINE:COLUMN: not valid YAML: what is
 * wrong, in plain words". SnakeYAML's own description is kept only where no plainer one is known, and
 * without its parser token names and without the lines of the file it quotes (they may hold secrets).
 * Stateless.
 */
final class YamlErrors {
    private YamlErrors() {
    }

    static String describe(Path file, String text, IOException e) {
        String original = e instanceof JsonMappingException m ? String.valueOf(m.getOriginalMessage()) : "";
        if (original.startsWith("Duplicate field")) {
            KeyPlaces places = KeyPlaces.read(text);
            String where = places.duplicate() == null ? place(file, e) : places.duplicatePlace().in(file);
            String name = places.duplicate() != null ? places.duplicate()
                    : original.replaceFirst("(?s)^Duplicate field '([^']*)'.*", "$1");
            return where + ": duplicate key" + (ConfigLoader.isKeyName(name) ? " '" + name + "'" : "")
                    + " (each key may appear once; a second block would silently replace the first)";
        }
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
            String context = String.valueOf(y.getContext());
            // an unclosed quote or a key without ':' is found only lines later: point where it starts
            Mark at = y.getContextMark() != null && (context.startsWith("while scanning a quoted scalar")
                    || context.startsWith("while scanning a simple key")) ? y.getContextMark() : y.getProblemMark();
            return new KeyPlaces.Place(at.getLine() + 1, at.getColumn() + 1).in(file) + ": not valid YAML: " + plain(y);
        }
        return place(file, e) + ": not valid YAML: " + snakeWords(e instanceof JsonProcessingException j
                ? j.getOriginalMessage() : e.getMessage());
    }

    /** What SnakeYAML found, said as what the operator should look for. */
    private static String plain(MarkedYAMLException y) {
        String context = y.getContext() == null ? "" : y.getContext();
        String problem = y.getProblem() == null ? "" : y.getProblem();
        Mark from = y.getContextMark();
        String since = from == null ? "" : " at line " + (from.getLine() + 1);
        if (problem.startsWith("mapping values are not allowed")) {
            return "a ':' inside a value: a key indented deeper than the key above it (read as part of that"
                    + " key's value), or a value with ': ' in it that needs quotes";
        }
        if (context.startsWith("while parsing a block mapping") && problem.startsWith("expected <block end>")) {
            return "this line is indented differently from the keys of its section (which starts" + since
                    + "): the keys of one section start in the same column";
        }
        if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
            return "a tab character: YAML indents with spaces only";
        }
        if (context.startsWith("while scanning a quoted scalar")) {
            return "a quote opened here is not closed";
        }
        if (context.startsWith("while scanning a simple key")) {
            return "neither 'key: value' nor a list item ('- ' and a space) where one was expected";
        }
        if (context.startsWith("while parsing a flow sequence")) {
            return "a '[' list opened" + since + " is not closed with ']', or its items are not separated by ','";
        }
        if (context.startsWith("while parsing a flow mapping")) {
            return "a '{' section opened" + since + " is not closed with '}', or its keys are not separated by ','";
        }
        return snakeWords((context.isEmpty() ? "" : context + "; ") + problem);
    }

    /** SnakeYAML's description without its token names and without any quoted line of the file. */
    private static String snakeWords(String m) {
        if (m == null || m.isBlank()) {
            return "invalid YAML";
        }
        StringBuilder out = new StringBuilder();
        for (String line : m.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                out.append(out.length() == 0 ? "" : "; ").append(line.length() > 100 ? line.substring(0, 100) + "..." : line);
            }
        }
        return out.toString().replace("<block end>", "the end of the section").replace("<block mapping start>", "a key")
                .replace("<block sequence start>", "a list item").replace("<scalar>", "a value")
                .replace("<stream end>", "the end of the file").replace("<document start>", "'---'");
    }

    private static String place(Path file, IOException e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            return new KeyPlaces.Place(j.getLocation().getLineNr(), j.getLocation().getColumnNr()).in(file);
        }
        return file.toString();
    }
}
