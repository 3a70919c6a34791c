package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the designer needs of the jobs domain: its checks of a pipeline, and the document of an existing job. */
public interface DesignerJobs {
    /** Checks a pipeline as a submission would, writing nothing; throws the submission's error. */
    void validate(String workspace, String user, ObjectNode pipeline);

    /** The stored document of a job; throws RESOURCE_DOES_NOT_EXIST naming it when there is none. */
    JsonNode document(String workspace, String job);
}
