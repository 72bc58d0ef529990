package org.eveflow.stats;

import java.io.IOException;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Makes influxdb-client-java's API v2 write call an InfluxDB 1.x {@code /write} call (1.6 has no
 * {@code /api/v2/write}): path {@code /api/v2/write} becomes {@code /write}, org/bucket become
 * {@code db}/{@code rp}, the precision is translated, and the token header becomes Basic auth when
 * a username is configured. Other calls pass unchanged. Immutable, thread-safe.
 */
final class V1WriteInterceptor implements Interceptor {
    private static final String V2_WRITE = "/api/v2/write";

    private final String database;
    private final String retentionPolicy;
    private final String basicAuth;

    V1WriteInterceptor(String database, String retentionPolicy, String username, char[] password) {
        this.database = database;
        this.retentionPolicy = retentionPolicy;
        this.basicAuth = username == null ? null : Credentials.basic(username, new String(password));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request r = chain.request();
        HttpUrl url = r.url();
        String path = url.encodedPath();
        if (!path.endsWith(V2_WRITE)) {
            return chain.proceed(r);
        }
        HttpUrl.Builder u = url.newBuilder()
                .encodedPath(path.substring(0, path.length() - V2_WRITE.length()) + "/write")
                .query(null)
                .addQueryParameter("db", database)
                .addQueryParameter("precision", v1Precision(url.queryParameter("precision")));
        if (retentionPolicy != null && !retentionPolicy.isEmpty()) {
            u.addQueryParameter("rp", retentionPolicy);
        }
        Request.Builder b = r.newBuilder().url(u.build()).removeHeader("Authorization");
        if (basicAuth != null) {
            b.header("Authorization", basicAuth);
        }
        return chain.proceed(b.build());
    }

    /** API v2 precisions (ns, us, ms, s) in InfluxDB 1.x's spelling (n, u, ms, s). */
    static String v1Precision(String v2) {
        if (v2 == null) {
            return "n";
        }
        switch (v2) {
            case "ns": return "n";
            case "us": return "u";
            default: return v2;
        }
    }
}
