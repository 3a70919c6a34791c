package dev.atelier.server.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSRF token a portal page gives its forms ({@code hx-headers} on the body), read as a browser
 * would: every portal change must send it in {@code X-CSRF-Token}, with or without auth.
 */
public final class PortalForms {
    private static final Pattern TOKEN = Pattern.compile("X-CSRF-Token&#34;: &#34;([0-9a-f]+)&#34;");

    private PortalForms() {
    }

    /** The token of the pages {@code http} sees (its headers, such as a session cookie, are sent). */
    public static String csrfToken(HttpJson http) {
        HttpJson.Response page = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/experiments"))
                .header("Accept", "text/html").GET().build());
        Matcher matcher = TOKEN.matcher(page.text());
        if (!matcher.find()) {
            throw new IllegalStateException("no CSRF token on the portal page (status " + page.status() + ")");
        }
        return matcher.group(1);
    }
}
