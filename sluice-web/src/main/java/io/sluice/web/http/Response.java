package io.sluice.web.http;

import java.nio.charset.StandardCharsets;

/** An HTTP response: status, content type, body. */
public record Response(int status, String contentType, byte[] body) {

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
