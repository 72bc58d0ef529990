package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** No credential in a message: URLs, also malformed ones, and free text that quotes them. */
class SecretTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://admin:pw-x@host:8086/|http://***@host:8086/",
        "ftp://admin:pw-x@host/|ftp://***@host/",
        "http//admin:pw-x@host/|http//***@host/",
        "http:admin:pw-x@host|***@host",
        "http://ad min:pw x@host/a b|http://***@host/a b",
        "http://u:pw-x@[::1|http://***@[::1",
        "http://u:pw-x@/|http://***@/",
        "http://u:p/w-x@host|http://***@host",
        "admin:pw-x@host:8086|***@host:8086",
        "http://host/?access_token=pw-x&db=a|http://host/?access_token=***&db=a",
        "http://host/#token=pw-x|http://host/#token=***",
        "http://host/?u=admin-x&p=pw-x|http://host/?u=***&p=***",
        "http://host/?apikey=pw-x;authorization=pw-x|http://host/?apikey=***;authorization=***",
        "http://host/?db=x&password=pw-x#f|http://host/?db=x&password=***#f",
        "http://host:8086/path?db=eve|http://host:8086/path?db=eve",
    })
    void urlsLoseTheirCredentials(String url, String redacted) {
        assertThat(Secret.redactUrl(url)).isEqualTo(redacted).doesNotContain("pw", "admin-x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Unable to parse connection string http://admin:pw-x@h:99999|Unable to parse connection string http://***@h:99999",
        "'ftp://admin:pw-x@h/?token=pw-x' is not an http(s) URL|'ftp://***@h/?token=***' is not an http(s) URL",
        "connect to /run/x.sock: refused|connect to /run/x.sock: refused",
    })
    void freeTextLosesTheCredentialsOfTheUrlsItQuotes(String text, String redacted) {
        assertThat(Secret.redactText(text)).isEqualTo(redacted).doesNotContain("pw");
    }
}
