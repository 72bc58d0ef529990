package org.eveflow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The relations between the {@code stats.influx} keys: a URL that is http(s), api v2's org and bucket
 * (and no v1 keys), api v1's database and user with password (and no v2 keys), a secret given inline
 * or in a file but not both. Secrets are never echoed. Stateless.
 */
final class InfluxSettings {
    private InfluxSettings() {
    }

    /** {@code s} with the URL's trailing slashes removed and the secrets read; unchanged without a URL. */
    static Settings check(Settings s) throws ConfigException {
        String url = s.get(Keys.INFLUX_URL);
        if (url == null || url.isBlank()) {
            return s; // the log sink
        }
        if (!url.matches("https?://[^\\s/]+(/.*)?")) {
            throw new ConfigException(Keys.INFLUX_URL.name(), "'" + Secret.redactUrl(url) + "' is not an http(s) URL");
        }
        Secret token = secret(Keys.INFLUX_TOKEN, s.get(Keys.INFLUX_TOKEN), s.get(Keys.INFLUX_TOKEN_FILE));
        Secret password = secret(Keys.INFLUX_PASSWORD, s.get(Keys.INFLUX_PASSWORD), s.get(Keys.INFLUX_PASSWORD_FILE));
        String org = s.get(Keys.INFLUX_ORG);
        String bucket = s.get(Keys.INFLUX_BUCKET);
        String database = s.get(Keys.INFLUX_DATABASE);
        String username = s.get(Keys.INFLUX_USERNAME);
        if (s.get(Keys.INFLUX_API).equals("v2")) {
            if (org == null || org.isBlank() || bucket == null || bucket.isBlank()) {
                throw new ConfigException("stats.influx", "api v2 needs org and bucket");
            }
            if (database != null || username != null || password != null || s.get(Keys.INFLUX_RETENTION_POLICY) != null) {
                throw new ConfigException("stats.influx", "database, retention-policy, username and password are for"
                        + " api v1; api v2 takes org, bucket and token");
            }
        } else {
            if (database == null || database.isBlank()) {
                throw new ConfigException("stats.influx", "api v1 needs database");
            }
            if ((username == null) != (password == null)) {
                throw new ConfigException("stats.influx", "api v1 needs both username and password, or neither");
            }
            if (org != null || bucket != null || token != null) {
                throw new ConfigException("stats.influx", "org, bucket and token are for api v2; api v1 takes"
                        + " database, retention-policy, username and password");
            }
        }
        return s.with(Keys.INFLUX_URL, url.replaceAll("/+$", "")).with(Keys.INFLUX_TOKEN, token)
                .with(Keys.INFLUX_PASSWORD, password);
    }

    /** A secret given inline or in a file (first line, trimmed); never echoed in messages. */
    private static Secret secret(Key<Secret> key, Secret inline, String file) throws ConfigException {
        String k = key.name();
        if (inline != null && file != null) {
            throw new ConfigException(k, "give one of " + k + " and " + k + "-file, not both");
        }
        if (inline != null || file == null) {
            return inline;
        }
        try {
            String v = Files.readString(Path.of(file)).strip();
            if (v.isEmpty()) {
                throw new ConfigException(k + "-file", file + " is empty");
            }
            return new Secret(v);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(k + "-file", "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
