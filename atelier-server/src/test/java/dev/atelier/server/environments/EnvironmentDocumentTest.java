package dev.atelier.server.environments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Azure ML's environment YAML, with Atelier's python and requirements: what is accepted, and the field each refusal names. */
class EnvironmentDocumentTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void readsAPythonEnvironmentWithRequirements() {
        EnvironmentDocument.Draft draft = parse("""
                $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
                name: sklearn
                version: "3"
                description: scikit-learn for training
                tags: {team: vision, tier: 1}
                python: "3.11"
                requirements:
                  - scikit-learn==1.5.2
                  - pandas>=2
                """);
        assertThat(draft.kind()).isEqualTo(EnvironmentKind.PYTHON);
        assertThat(draft.name()).contains("sklearn");
        assertThat(draft.version()).contains(3);
        assertThat(draft.python()).contains("3.11");
        assertThat(draft.requirements()).contains("scikit-learn==1.5.2\npandas>=2\n");
        assertThat(draft.tags()).isEqualTo(Map.of("team", "vision", "tier", "1"));
        assertThat(draft.description()).isEqualTo("scikit-learn for training");
    }

    @Test
    void readsAzuresImageWithCondaFileAndACondaFileAlone() {
        EnvironmentDocument.Draft image = parse("""
                name: docker-image-plus-conda-example
                image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04
                conda_file:
                  name: example
                  channels: [conda-forge]
                  dependencies:
                    - python=3.10
                    - pip
                    - pip: [mlflow]
                """);
        assertThat(image.kind()).isEqualTo(EnvironmentKind.IMAGE);
        assertThat(image.image()).contains("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04");
        assertThat(image.condaFile().orElseThrow()).contains("python=3.10").contains("mlflow");
        EnvironmentDocument.Draft conda = parse("name: c\nconda_file: \"dependencies: [python=3.11, numpy]\"\n");
        assertThat(conda.kind()).isEqualTo(EnvironmentKind.PYTHON);
        assertThat(conda.python()).isEmpty();
        assertThat(conda.condaFile()).contains("dependencies: [python=3.11, numpy]");
        assertThat(parse("name: path\npython: /usr/bin/python3\n").python()).contains("/usr/bin/python3");
        assertThat(parse("name: plain\nimage: python:3.12-slim\n").kind()).isEqualTo(EnvironmentKind.IMAGE);
    }

    @Test
    void refusalsNameTheField() {
        refused("name: x\npython: \"3.11\"\nimage: python:3.11\n", "'python'", "not both");
        refused("name: x\nrequirements: [numpy]\nconda_file: {dependencies: [numpy]}\n", "'requirements'", "not both");
        refused("name: x\npython: \"3.11\"\nconda_file: {dependencies: [python=3.11]}\n", "'python'", "conda_file names its own python");
        refused("name: x\npython: 3.10\n", "'python'", "quoted version");
        refused("name: x\npython: three\n", "'python'", "was 'three'");
        refused("name: x\npython: \"python3; rm -rf /\"\n", "'python'", "absolute interpreter path");
        refused("name: x\nimage: python:3.11\nrequirements: [numpy]\n", "'requirements'", "conda_file");
        refused("name: x\nversion: 1.5\npython: \"3\"\n", "'version'", "positive whole number");
        refused("name: x\nversion: \"0\"\npython: \"3\"\n", "'version'", "positive whole number");
        refused("name: x\npython: \"3\"\nrequirements: [numpy, {pip: x}]\n", "'requirements[1]'", "requirement line");
        refused("name: x\nconda_file: \"just: [text\"\n", "'conda_file'", "does not parse");
        refused("name: x\nconda_file: {dependencies: numpy}\n", "'conda_file'", "'dependencies' list");
        refused("name: x\nbuild: {path: docker}\n", "'build.path'", "the CLI uploads");
        refused("name: x\npython: \"3\"\ntags: [a]\n", "'tags'", "mapping");
        refused("name: x\npython: \"3\"\nexecutable: java\n", "'executable'", "Unknown field");
        refused("name: x\ndescription: nothing to run\n", "'python' or 'image'", "Missing");
    }

    @Test
    void readsABuildFromASnapshotWithItsDockerfile() {
        EnvironmentDocument.Draft draft = parse("name: built\nbuild: {context: \"snapshot:ab12\", dockerfile_path: docker/train.Dockerfile}\n");
        assertThat(draft.kind()).isEqualTo(EnvironmentKind.IMAGE);
        assertThat(draft.image()).isEmpty();
        assertThat(draft.build()).contains(new ImageBuild("ab12", "docker/train.Dockerfile"));
        assertThat(parse("name: built\nbuild: {context: \"snapshot:ab12\"}\n").build().orElseThrow().dockerfilePath())
                .isEqualTo("Dockerfile");
    }

    @Test
    void buildRefusalsNameTheField() {
        refused("name: x\npython: \"3.11\"\nbuild: {context: \"snapshot:ab\"}\n", "'build'", "leave 'python' out");
        refused("name: x\nimage: base\nbuild: {context: \"snapshot:ab\"}\n", "'build'", "leave 'image' out");
        refused("name: x\nbuild: {context: \"snapshot:ab\"}\nconda_file: {dependencies: [numpy]}\n", "'build'", "leave 'conda_file' out");
        refused("name: x\nbuild: {context: \"./docker\"}\n", "'build.context'", "snapshot:<id>");
        refused("name: x\nbuild: {dockerfile_path: Dockerfile}\n", "'build.context'", "Missing");
        refused("name: x\nbuild: {context: \"snapshot:ab\", dockerfile_path: ../Dockerfile}\n", "'build.dockerfile_path'", "inside it");
        refused("name: x\nbuild: {context: \"snapshot:ab\", dockerfile_path: /etc/passwd}\n", "'build.dockerfile_path'", "relative");
        refused("name: x\nbuild: {context: \"snapshot:ab\", target: prod}\n", "'build.target'", "Unknown field");
        refused("name: x\nbuild: docker\n", "'build'", "a mapping");
    }

    @Test
    void anInlineEnvironmentHasNoNameOrVersionAndItsFieldsArePrefixed() throws Exception {
        JsonNode inline = YAML.readTree("python: \"3.12\"\nrequirements: \"numpy\\n\\npandas\\n\"\n");
        EnvironmentDocument.Draft draft = EnvironmentDocument.parseInline(inline, "environment.");
        assertThat(draft.name()).isEqualTo(Optional.empty());
        assertThat(draft.requirements()).contains("numpy\npandas\n");
        assertThatThrownBy(() -> EnvironmentDocument.parseInline(YAML.readTree("name: x\npython: \"3\"\n"), "trial.environment."))
                .hasMessageContaining("'trial.environment.name'");
        assertThatThrownBy(() -> EnvironmentDocument.parseInline(YAML.readTree("python: \"3\"\nimage: y\n"), "environment."))
                .hasMessageContaining("'environment.python'");
    }

    private static EnvironmentDocument.Draft parse(String yaml) {
        try {
            return EnvironmentDocument.parse(YAML.readTree(yaml));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refused(String yaml, String field, String why) {
        assertThatThrownBy(() -> parse(yaml)).as(yaml).isInstanceOf(AtelierException.class)
                .hasMessageContaining(field).hasMessageContaining(why);
    }
}
