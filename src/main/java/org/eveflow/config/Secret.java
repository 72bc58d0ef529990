package org.eveflow.config;

import java.util.Arrays;

/**
 * A token or password: its value is only handed to the client that needs it; toString never shows
 * it, so it cannot leak into logs, errors or check-config output. Immutable.
 */
public final class Secret {
    private final char[] value;

    public Secret(String value) {
        this.value = value.toCharArray();
    }

    public char[] value() {
        return value.clone();
    }

    public String reveal() {
        return new String(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && Arrays.equals(value, ((Secret) o).value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#]*@");
    private static final java.util.regex.Pattern SECRET_PARAM = java.util.regex.Pattern.compile(
            "([?&](?:token|password|passwd|pass|pwd|p|u|user|username|auth|authorization|key|apikey|api_key|secret)=)[^&#]*",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * A URL fit for a message: user info ({@code user:password@}) and the values of query parameters
     * that carry credentials (token, password, u, p, ...) replaced by {@code ***}.
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        String s = USER_INFO.matcher(url).replaceFirst("$1***@");
        return SECRET_PARAM.matcher(s).replaceAll("$1***");
    }
}
