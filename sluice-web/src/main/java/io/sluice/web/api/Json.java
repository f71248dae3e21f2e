package io.sluice.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.web.http.HttpError;
import io.sluice.web.http.Response;
import java.io.IOException;
import java.util.Map;

/** JSON in and out (Jackson): one shared mapper, thread-safe. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    public static Response ok(Object value) {
        return of(200, value);
    }

    public static Response of(int status, Object value) {
        try {
            return new Response(status, "application/json", MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The error body every refusal has: {@code {"status": 400, "message": "..."}}. */
    public static Response error(int status, String message) {
        return of(status, Map.of("status", status, "message", message));
    }

    /** Parses a request body that must be a JSON object; 400 when it is not. */
    public static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw HttpError.badRequest("the request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw HttpError.badRequest("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object");
        }
        return node;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
