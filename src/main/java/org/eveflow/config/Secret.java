package org.eveflow.config;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * A scheme and its slashes, however malformed ({@code http://}, {@code http//}, {@code ftp:/}):
     * what stands before the user info of a URL.
     */
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:?/+");
    /**
     * A query or fragment parameter that carries a credential: a name that contains token, pass,
     * pwd, secret, key, auth or sig (access_token, api_key, passwd, authorization, ...), or is one of
     * InfluxDB 1.x's u and p or user/username.
     */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&#;](?:[^=&#;?]*(?:token|pass|pwd|secret|key|auth|sig)[^=&#;?]*|p|u|user|username)=)[^&#;]*",
            Pattern.CASE_INSENSITIVE);

    /**
     * A URL fit for a message, also one no parser accepts: everything before the last {@code @} of
     * what precedes the query (user info, or what may be one) and the values of query and fragment
     * parameters that carry credentials replaced by {@code ***}. It may hide more than a credential,
     * never less.
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(url);
        int start = scheme.find() ? scheme.end() : 0;
        int query = indexOfAny(url, "?#", start);
        int at = url.lastIndexOf('@', query - 1);
        String s = at >= start ? url.substring(0, start) + "***" + url.substring(at) : url;
        return SECRET_PARAM.matcher(s).replaceAll("$1***");
    }

    /** A word of free text (quotes and brackets end it) that may be a URL: it has "://" or an '@' after a ':'. */
    private static final Pattern URL_LIKE = Pattern.compile("[^\\s'\"<>()]*(?:://|:[^\\s'\"<>()]*@)[^\\s'\"<>()]*");

    /**
     * Free text (an exception's message, which may quote a URL) fit for a message: every word that
     * may be a URL is redacted as {@link #redactUrl} does.
     */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        return URL_LIKE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(redactUrl(m.group())));
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
