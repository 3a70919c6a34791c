package dev.atelier.server.compute.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where builds of python environments find packages: {@code ATELIER_PIP_INDEX_URL} (a package index, passed to pip as
 * {@code --index-url}) and {@code ATELIER_PIP_FIND_LINKS} (a folder of wheels, {@code --find-links}; with no index
 * URL, pip also gets {@code --no-index}, so a build never leaves the host). Neither set: pip's own default index.
 * The folder must be readable by workloads: builds run in the sandbox, which binds it read-only.
 */
public record PipSources(Optional<String> indexUrl, Optional<Path> findLinks) {
    public static final String INDEX_URL_VARIABLE = "ATELIER_PIP_INDEX_URL";
    public static final String FIND_LINKS_VARIABLE = "ATELIER_PIP_FIND_LINKS";
    public static final PipSources DEFAULT = new PipSources(Optional.empty(), Optional.empty());

    public PipSources {
        requireNonNull(indexUrl, "indexUrl is null");
        findLinks = requireNonNull(findLinks, "findLinks is null").map(path -> path.toAbsolutePath().normalize());
        indexUrl.ifPresent(PipSources::checkUrl);
    }

    /**
     * Reads {@value #INDEX_URL_VARIABLE} and {@value #FIND_LINKS_VARIABLE} (blank means unset).
     *
     * @throws IllegalArgumentException naming the variable when the URL is not http(s) or the folder does not exist
     */
    public static PipSources fromVariables(Map<String, String> variables) {
        Optional<String> index = Optional.ofNullable(variables.get(INDEX_URL_VARIABLE)).map(String::strip).filter(v -> !v.isEmpty());
        Optional<Path> links = Optional.ofNullable(variables.get(FIND_LINKS_VARIABLE)).map(String::strip).filter(v -> !v.isEmpty())
                .map(Path::of);
        links.filter(folder -> !Files.isDirectory(folder)).ifPresent(folder -> {
            throw new IllegalArgumentException(FIND_LINKS_VARIABLE + " names " + folder + ", which is not a folder");
        });
        try {
            return new PipSources(index, links);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(INDEX_URL_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    /** pip's options: {@code --index-url}, {@code --find-links}, and {@code --no-index} when only the folder is set. */
    List<String> pipOptions() {
        List<String> options = new ArrayList<>();
        indexUrl.ifPresent(url -> options.addAll(List.of("--index-url", url)));
        findLinks.ifPresent(folder -> options.addAll(List.of("--find-links", folder.toString())));
        if (indexUrl.isEmpty() && findLinks.isPresent()) {
            options.add("--no-index");
        }
        return options;
    }

    /** The same, as the variables pip reads (for the pip that conda runs for a conda file's {@code pip:} list). */
    Map<String, String> pipVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        indexUrl.ifPresent(url -> variables.put("PIP_INDEX_URL", url));
        findLinks.ifPresent(folder -> variables.put("PIP_FIND_LINKS", folder.toString()));
        if (indexUrl.isEmpty() && findLinks.isPresent()) {
            variables.put("PIP_NO_INDEX", "1");
        }
        return variables;
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected an http or https URL, was '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("expected an http or https URL, was '" + url + "': " + e.getMessage(), e);
        }
    }
}
