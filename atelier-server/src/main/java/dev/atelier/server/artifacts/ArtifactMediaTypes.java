package dev.atelier.server.artifacts;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Content-Type of an artifact download, guessed from its name as MLflow's {@code _guess_mime_type}
 * (mlflow/utils/mime_type_utils.py) does: {@code text/plain} for text-like extensions and for
 * {@code MLmodel}/{@code MLproject}, else the type Python's {@code mimetypes} module knows for the
 * extension (trying it as written, then lowercased), else {@code application/octet-stream}. The
 * table holds Python's built-in types for the extensions artifacts plausibly have. Thread-safe.
 */
final class ArtifactMediaTypes {
    static final String OCTET_STREAM = "application/octet-stream";

    /** MLflow's {@code get_text_extensions()}; matched case-sensitively, as MLflow does. */
    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml",
            "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "MLproject");

    /** Python's {@code mimetypes.suffix_map}: short names of compressed tarballs. */
    private static final Map<String, String> SUFFIXES = Map.of(
            ".svgz", ".svg.gz", ".tgz", ".tar.gz", ".taz", ".tar.gz", ".tz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz");

    /** Python's {@code mimetypes.encodings_map}: the suffix names a compression, not a type. */
    private static final Set<String> ENCODINGS = Set.of(".gz", ".Z", ".bz2", ".xz", ".br");

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry(".a", OCTET_STREAM), Map.entry(".bin", OCTET_STREAM), Map.entry(".dll", OCTET_STREAM),
            Map.entry(".exe", OCTET_STREAM), Map.entry(".o", OCTET_STREAM), Map.entry(".obj", OCTET_STREAM),
            Map.entry(".so", OCTET_STREAM),
            Map.entry(".pdf", "application/pdf"), Map.entry(".ps", "application/postscript"),
            Map.entry(".eps", "application/postscript"), Map.entry(".wasm", "application/wasm"),
            Map.entry(".doc", "application/msword"), Map.entry(".xls", "application/vnd.ms-excel"),
            Map.entry(".ppt", "application/vnd.ms-powerpoint"),
            Map.entry(".h5", "application/x-hdf5"), Map.entry(".hdf", "application/x-hdf"),
            Map.entry(".nc", "application/x-netcdf"), Map.entry(".cdf", "application/x-netcdf"),
            Map.entry(".pyc", "application/x-python-code"), Map.entry(".pyo", "application/x-python-code"),
            Map.entry(".sh", "application/x-sh"), Map.entry(".tar", "application/x-tar"),
            Map.entry(".gtar", "application/x-gtar"), Map.entry(".zip", "application/zip"),
            Map.entry(".rdf", "application/xml"), Map.entry(".xsl", "application/xml"),
            Map.entry(".png", "image/png"), Map.entry(".jpg", "image/jpeg"), Map.entry(".jpeg", "image/jpeg"),
            Map.entry(".jpe", "image/jpeg"), Map.entry(".gif", "image/gif"), Map.entry(".bmp", "image/bmp"),
            Map.entry(".svg", "image/svg+xml"), Map.entry(".tif", "image/tiff"), Map.entry(".tiff", "image/tiff"),
            Map.entry(".ico", "image/vnd.microsoft.icon"), Map.entry(".webp", "image/webp"),
            Map.entry(".avif", "image/avif"),
            Map.entry(".json", "application/json"), Map.entry(".xml", "text/xml"), Map.entry(".txt", "text/plain"),
            Map.entry(".csv", "text/csv"), Map.entry(".py", "text/x-python"), Map.entry(".tsv", "text/tab-separated-values"),
            Map.entry(".html", "text/html"), Map.entry(".htm", "text/html"), Map.entry(".css", "text/css"),
            Map.entry(".mp3", "audio/mpeg"), Map.entry(".wav", "audio/x-wav"), Map.entry(".aac", "audio/aac"),
            Map.entry(".opus", "audio/opus"), Map.entry(".mp4", "video/mp4"), Map.entry(".mpeg", "video/mpeg"),
            Map.entry(".mpg", "video/mpeg"), Map.entry(".mov", "video/quicktime"), Map.entry(".webm", "video/webm"),
            Map.entry(".avi", "video/x-msvideo"));

    private ArtifactMediaTypes() {
    }

    /** The Content-Type for a file called {@code fileName} (a name, not a path). */
    static String guess(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot <= 0 ? fileName : fileName.substring(dot + 1);
        if (TEXT_EXTENSIONS.contains(extension)) {
            return "text/plain";
        }
        return standardType(fileName);
    }

    /** Python's {@code mimetypes.guess_type(name)[0]}, or octet-stream when it has none. */
    private static String standardType(String fileName) {
        String name = fileName;
        String suffix = suffix(name);
        if (SUFFIXES.containsKey(suffix)) {
            name = name.substring(0, name.length() - suffix.length()) + SUFFIXES.get(suffix);
            suffix = suffix(name);
        }
        if (ENCODINGS.contains(suffix)) {
            name = name.substring(0, name.length() - suffix.length());
            suffix = suffix(name);
        }
        String type = TYPES.get(suffix);
        if (type == null) {
            type = TYPES.get(suffix.toLowerCase(Locale.ROOT));
        }
        return type == null ? OCTET_STREAM : type;
    }

    /** The last suffix with its dot, as {@code posixpath.splitext}: a leading dot starts no suffix. */
    private static String suffix(String name) {
        int dot = name.lastIndexOf('.');
        int firstNonDot = 0;
        while (firstNonDot < name.length() && name.charAt(firstNonDot) == '.') {
            firstNonDot++;
        }
        return dot < firstNonDot ? "" : name.substring(dot);
    }
}
