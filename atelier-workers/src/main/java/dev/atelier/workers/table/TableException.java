package dev.atelier.workers.table;

/**
 * Input a component cannot work with (a missing file, an unknown column, a value that is not a number): its message
 * names the file, column or row, and is what the step's log shows. Unchecked so that it passes through row callbacks.
 */
public final class TableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TableException(String message) {
        super(message);
    }

    public TableException(String message, Throwable cause) {
        super(message, cause);
    }
}
