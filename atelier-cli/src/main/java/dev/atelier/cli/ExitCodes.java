package dev.atelier.cli;

import picocli.CommandLine.Command;

/**
 * The exit codes of the client commands, so that scripts can tell what failed. Documented in
 * docs/cli.md and, through this mixin's {@code @Command} attributes, in every command's help.
 */
@Command(
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:success",
                " 1:the server refused the request (4xx: not found, already exists, invalid value); its message is printed",
                " 2:usage error: unknown command or option, missing or malformed value",
                " 3:the server is not reachable at --url",
                " 4:internal error: the server failed (5xx) or the command did",
                " 5:a job followed with --stream ended Failed or Canceled"})
final class ExitCodes {
    static final int OK = 0;
    static final int SERVER_REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int INTERNAL = 4;
    static final int JOB_NOT_COMPLETED = 5;
}
