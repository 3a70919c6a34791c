package dev.atelier.cli;

/** A job the command followed ({@code --stream}) ended without completing; the command exits with {@link ExitCodes#JOB_NOT_COMPLETED}. */
final class JobNotCompletedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobNotCompletedException(String job, String status) {
        super("job '" + job + "' ended " + status);
    }
}
