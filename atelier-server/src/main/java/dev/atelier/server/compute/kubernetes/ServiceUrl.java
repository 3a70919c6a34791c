package dev.atelier.server.compute.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.compute.WorkloadId;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * A service workload's Service URL from a target's {@code service_url_template}: {@code {service}},
 * {@code {namespace}}, {@code {workspace}} and each of the workload's tags ({@code {endpoint}}, {@code {deployment}}
 * for a scoring deployment) are filled in. The default reaches the Service by in-cluster DNS; a server outside the
 * cluster names an ingress, a port-forward or the API server's service proxy
 * ({@code http://127.0.0.1:8001/api/v1/namespaces/{namespace}/services/{service}:80/proxy} with {@code kubectl proxy}).
 */
final class ServiceUrl {
    private ServiceUrl() {
    }

    /** @throws AtelierException INVALID_PARAMETER_VALUE when the template does not give an http(s) URL */
    static String of(KubernetesSettings settings, WorkloadId id, Map<String, String> tags) {
        String template = settings.serviceUrlTemplate().isEmpty() ? KubernetesSettings.DEFAULT_SERVICE_URL_TEMPLATE
                : settings.serviceUrlTemplate();
        String url = template.replace("{service}", ServiceNames.objectName(id)).replace("{namespace}", settings.namespace())
                .replace("{workspace}", id.workspace());
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            url = url.replace("{" + tag.getKey() + "}", tag.getValue());
        }
        url = url.replaceAll("/+$", "");
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw badTemplate(template, "it must give an http:// or https:// URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw badTemplate(template, e.getMessage());
        }
    }

    private static AtelierException badTemplate(String template, String why) {
        return AtelierException.invalidParameter("Invalid value '" + template + "' for parameter 'kubernetes.service_url_template': " + why);
    }
}
