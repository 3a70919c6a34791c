package dev.atelier.server.notebooks;

import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service workload of one compute instance: a shell that runs the setup scripts in the owner's files folder and
 * then becomes the Jupyter server the host or image has — JupyterLab where installed, else {@code jupyter-notebook}
 * (6.x: {@code NotebookApp}; 7: {@code ServerApp}), else {@code python3 -m jupyter_server} — on the backend's
 * {@code {host}}/{@code {port}}, with {@code base_url} {@code /w/<workspace>/notebooks/<name>/}, the files folder as
 * its root, no browser, no XSRF check (the proxy authenticates every request and the portal's browser guard checks
 * origins) and the token in {@code JUPYTER_TOKEN} (a secret variable: never on a command line). Where the port is 0
 * (the server's host) the shell picks a free one first and prints {@value #PORT_LINE}{@code <port>}, which the
 * domain reads from the log. Stateless.
 */
final class NotebookServer {
    static final String FILES = "files";
    static final String PORT_LINE = "ATELIER_NOTEBOOK_PORT=";
    static final String TOKEN_VARIABLE = "JUPYTER_TOKEN";

    private static final String SCRIPT = """
            set -e
            HOST="$1"; PORT="$2"; BASE="$3"; ROOT="$4"
            %s
            if [ "$PORT" = 0 ]; then
              PORT=$(python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$HOST")
            fi
            if python3 -c 'import jupyterlab' 2>/dev/null; then APP=ServerApp; DIR=root_dir; set -- python3 -m jupyterlab
            elif command -v jupyter-notebook >/dev/null 2>&1; then
              if python3 -c 'import notebook.notebookapp' 2>/dev/null; then APP=NotebookApp; DIR=notebook_dir; else APP=ServerApp; DIR=root_dir; fi
              set -- jupyter-notebook
            else APP=ServerApp; DIR=root_dir; set -- python3 -m jupyter_server
            fi
            echo "%s$PORT"
            exec "$@" --no-browser --$APP.ip="$HOST" --$APP.port="$PORT" --$APP.port_retries=0 --$APP.base_url="$BASE" \\
              --$APP.$DIR="$ROOT" --$APP.open_browser=False --$APP.disable_check_xsrf=True --$APP.allow_remote_access=True \\
              --$APP.allow_root=True
            """;

    private NotebookServer() {
    }

    /** The base URL path Jupyter serves under (and the proxy answers at), with a trailing slash. */
    static String basePath(String workspace, String name) {
        return "/w/" + workspace + "/notebooks/" + name + "/";
    }

    static WorkloadId workloadId(String workspace, String name) {
        return new WorkloadId(workspace, "notebook", "nb-" + name);
    }

    /**
     * @param files       the owner's files folder on the server's host
     * @param variables   MLflow's variables for the workspace
     * @param secrets     the Jupyter token and the owner's MLflow token
     * @param firstStart  whether the creation script runs (the first start only)
     */
    static ServiceSpec spec(ComputeInstance instance, Path files, Map<String, String> variables, Map<String, String> secrets,
                            boolean firstStart) {
        List<String> setup = new ArrayList<>();
        if (firstStart) {
            instance.document().creationScript().ifPresent(script -> setup.add(script.shell()));
        }
        instance.document().startupScript().ifPresent(script -> setup.add(script.shell()));
        String script = SCRIPT.formatted(String.join("\n", setup), PORT_LINE);
        List<String> command = List.of("/bin/sh", "-c", script, "atelier-notebook", ServiceSpec.HOST, ServiceSpec.PORT,
                basePath(instance.workspace(), instance.name()), ServiceSpec.folder(FILES));
        return new ServiceSpec(workloadId(instance.workspace(), instance.name()), Map.of("notebook", instance.name()), command,
                Optional.of(FILES), variables, secrets, Optional.empty(), instance.document().image(),
                List.of(ServiceFiles.kept(FILES, files, "owner-" + instance.owner())), 1, basePath(instance.workspace(), instance.name()) + "api",
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code text} as one single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
