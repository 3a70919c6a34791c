package dev.atelier.cli;

import dev.atelier.api.AtelierException;

/** Words for the error codes of the wire protocol, as a person reads them on one line. */
final class ServerErrors {
    private ServerErrors() {
    }

    /** Such as {@code not found: Workspace 'x' does not exist}. */
    static String describe(AtelierException e) {
        String kind = switch (e.errorCode()) {
            case RESOURCE_DOES_NOT_EXIST, ENDPOINT_NOT_FOUND -> "not found";
            case RESOURCE_ALREADY_EXISTS -> "already exists";
            case INVALID_PARAMETER_VALUE, BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE -> "invalid request";
            case INVALID_STATE -> "invalid state";
            case RESOURCE_CONFLICT -> "conflict";
            case RESOURCE_LIMIT_EXCEEDED, REQUEST_LIMIT_EXCEEDED, PAYLOAD_TOO_LARGE -> "limit exceeded";
            case PERMISSION_DENIED -> "permission denied";
            case UNAUTHENTICATED -> "not authenticated";
            case TEMPORARILY_UNAVAILABLE -> "server temporarily unavailable";
            case NOT_IMPLEMENTED -> "not supported";
            case QUOTA_EXCEEDED -> "upload quota exceeded";
            case INSUFFICIENT_STORAGE -> "server out of disk space";
            case RESOURCE_EXPIRED -> "expired";
            case INTERNAL_ERROR -> "server error";
        };
        return kind + ": " + e.getMessage();
    }
}
