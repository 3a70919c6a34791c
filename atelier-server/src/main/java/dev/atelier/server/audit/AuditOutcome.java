package dev.atelier.server.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.atelier.server.http.RequestObserver;

import java.util.Locale;

/** How an audited action ended; written as {@code allowed}, {@code denied}, {@code failed}. */
public enum AuditOutcome {
    /** Authorized and answered with a status below 400. */
    ALLOWED,
    /** Refused by authentication or authorization. */
    DENIED,
    /** Authorized but failed. */
    FAILED;

    public static AuditOutcome of(RequestObserver.Outcome outcome) {
        return switch (outcome) {
            case ALLOWED -> ALLOWED;
            case DENIED -> DENIED;
            case FAILED -> FAILED;
        };
    }

    /** Parses the stored form; throws {@link IllegalArgumentException} for anything else. */
    public static AuditOutcome fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
