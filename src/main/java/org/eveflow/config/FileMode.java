package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;

/** File modes as the config file gives them. Pure, thread-safe. */
final class FileMode {
    private FileMode() {
    }

    /**
     * A string is octal ("0660", "660"); a YAML integer is the number it is, so the unquoted 0660,
     * which YAML 1.1 reads as octal 432, is 0660, and an unquoted 660 (decimal) is refused as out of
     * range rather than read as octal. Throws IllegalArgumentException with a readable reason.
     */
    static int parse(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            int mode = value.intValue();
            if (mode < 0 || mode > 0777) {
                throw new IllegalArgumentException(value + " is not a file mode; write it as a quoted octal"
                        + " string like \"0660\"");
            }
            return mode;
        }
        if (value.isTextual() && value.textValue().matches("0?[0-7]{3}")) {
            return Integer.parseInt(value.textValue(), 8);
        }
        throw new IllegalArgumentException((value.isTextual() ? "'" + value.textValue() + "'" : String.valueOf(value))
                + " is not an octal mode like \"0660\"");
    }
}
