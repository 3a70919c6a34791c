package dev.atelier.server.schedules;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * A trigger's {@code time_zone}: an IANA name ({@code Europe/Berlin}), or one of the common Windows names Azure ML's
 * documentation uses ({@code W. Europe Standard Time}), mapped to the IANA zone Windows' own table gives for it.
 */
final class TimeZones {
    private static final Map<String, String> WINDOWS = Map.ofEntries(
            Map.entry("UTC", "UTC"),
            Map.entry("Coordinated Universal Time", "UTC"),
            Map.entry("GMT Standard Time", "Europe/London"),
            Map.entry("Greenwich Standard Time", "Atlantic/Reykjavik"),
            Map.entry("W. Europe Standard Time", "Europe/Berlin"),
            Map.entry("Central Europe Standard Time", "Europe/Budapest"),
            Map.entry("Central European Standard Time", "Europe/Warsaw"),
            Map.entry("Romance Standard Time", "Europe/Paris"),
            Map.entry("E. Europe Standard Time", "Europe/Chisinau"),
            Map.entry("FLE Standard Time", "Europe/Kiev"),
            Map.entry("GTB Standard Time", "Europe/Bucharest"),
            Map.entry("Russian Standard Time", "Europe/Moscow"),
            Map.entry("Eastern Standard Time", "America/New_York"),
            Map.entry("Central Standard Time", "America/Chicago"),
            Map.entry("Mountain Standard Time", "America/Denver"),
            Map.entry("US Mountain Standard Time", "America/Phoenix"),
            Map.entry("Pacific Standard Time", "America/Los_Angeles"),
            Map.entry("Alaskan Standard Time", "America/Anchorage"),
            Map.entry("Hawaiian Standard Time", "Pacific/Honolulu"),
            Map.entry("Atlantic Standard Time", "America/Halifax"),
            Map.entry("E. South America Standard Time", "America/Sao_Paulo"),
            Map.entry("India Standard Time", "Asia/Kolkata"),
            Map.entry("China Standard Time", "Asia/Shanghai"),
            Map.entry("Singapore Standard Time", "Asia/Singapore"),
            Map.entry("Tokyo Standard Time", "Asia/Tokyo"),
            Map.entry("Korea Standard Time", "Asia/Seoul"),
            Map.entry("Arabian Standard Time", "Asia/Dubai"),
            Map.entry("AUS Eastern Standard Time", "Australia/Sydney"),
            Map.entry("New Zealand Standard Time", "Pacific/Auckland"));

    private TimeZones() {
    }

    /** The zone {@code name} stands for; empty when it is neither an IANA name, an offset, nor a known Windows name. */
    static Optional<ZoneId> parse(String name) {
        String windows = WINDOWS.get(name);
        try {
            ZoneId zone = ZoneId.of(windows != null ? windows : name);
            return Optional.of(zone instanceof ZoneOffset offset && offset.getTotalSeconds() == 0 ? ZoneOffset.UTC : zone);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
