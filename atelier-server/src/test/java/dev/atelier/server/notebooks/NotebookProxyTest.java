package dev.atelier.server.notebooks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the proxy forwards: the path below the instance's base, and the cookies without Atelier's session. */
class NotebookProxyTest {
    @Test
    void theForwardedPathIsWhatFollowsTheInstancesBaseEvenWhenNamesRepeat() {
        assertThat(NotebookProxy.rest("/w/notebooks/notebooks/notebooks/api/contents/a%20b.ipynb", "notebooks", "notebooks"))
                .isEqualTo("api/contents/a%20b.ipynb");
        assertThat(NotebookProxy.rest("/notebooks/nb/tree", "default", "nb")).isEqualTo("tree");
        assertThat(NotebookProxy.rest("/w/default/notebooks/nb/", "default", "nb")).isEmpty();
        assertThat(NotebookProxy.rest("/w/team/notebooks/nb", "team", "nb")).isEmpty();
    }

    @Test
    void atelierSessionCookieIsNotForwarded() {
        assertThat(NotebookProxy.withoutSession("_xsrf=abc; atelier_session=secret; other=1")).isEqualTo("_xsrf=abc; other=1");
        assertThat(NotebookProxy.withoutSession("atelier_session=secret")).isEmpty();
        assertThat(NotebookProxy.withoutSession(null)).isEmpty();
    }
}
