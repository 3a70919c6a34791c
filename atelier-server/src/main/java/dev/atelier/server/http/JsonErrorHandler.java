package dev.atelier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.ErrorResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Answers the errors Jetty produces itself, before any route runs (an undecodable path, a NUL in
 * the URL, a malformed request line), with the same {@code {"error_code", "message"}} JSON as
 * every other error, instead of Jetty's HTML page. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String message) {
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
        String text = "HTTP " + status + (message == null || message.isBlank() ? "" : ": " + message);
        try {
            return Json.mapper().writeValueAsBytes(new ErrorResponse(code.name(), text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize error", e);
        }
    }
}
