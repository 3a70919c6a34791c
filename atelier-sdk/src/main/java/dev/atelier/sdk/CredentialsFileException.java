package dev.atelier.sdk;

/** The credentials file cannot be read, parsed or written; the message names the file. */
public final class CredentialsFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CredentialsFileException(String message) {
        super(message);
    }

    public CredentialsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
