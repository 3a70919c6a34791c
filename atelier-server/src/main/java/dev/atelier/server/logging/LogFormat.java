package dev.atelier.server.logging;

/** How log lines are written: {@code --log-format text|json}. */
public enum LogFormat {
    /** {@code 2026-12-08T01:02:03.456+0000 INFO HttpServer - message key=value ...}, as slf4j-simple wrote it. */
    TEXT,
    /** One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code msg}, the fields, {@code error}. */
    JSON
}
