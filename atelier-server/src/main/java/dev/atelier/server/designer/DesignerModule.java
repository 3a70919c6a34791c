package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.store.Database;

import java.time.Clock;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The designer wired for the composition root (docs/designer.md): drafts in the database, checks by the job service. */
public final class DesignerModule {
    private final DesignerService designer;

    private DesignerModule(DesignerService designer) {
        this.designer = designer;
    }

    public static DesignerModule create(Database database, JobService jobs, Clock clock) {
        requireNonNull(jobs, "jobs is null");
        return new DesignerModule(new DesignerService(new JdbcDraftStore(database), new DesignerJobs() {
            @Override
            public void validate(String workspace, String user, ObjectNode pipeline) {
                jobs.validate(workspace, user, pipeline);
            }

            @Override
            public JsonNode document(String workspace, String job) {
                return jobs.get(workspace, job).spec();
            }
        }, clock));
    }

    public DesignerService designer() {
        return designer;
    }

    public List<RouteTable> routes() {
        return List.of(new DesignerRoutes(designer));
    }
}
