package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComponentDocumentTest {
    private static final String SNAPSHOT = "snapshot:" + "a".repeat(64);

    private static JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text);
    }

    private static final String TRAIN = """
            $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
            type: command
            name: train_model
            version: "2"
            display_name: Train
            is_deterministic: false
            code: %s
            environment: azureml:sklearn:3
            command: python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} $[[--epochs ${{inputs.epochs}}]] $[[--mode ${{inputs.mode}}]] --out ${{outputs.model}}
            inputs:
              data: {type: uri_folder}
              lr: {type: number, default: 0.1, min: 0.0, max: 1.0}
              epochs: {type: integer, optional: true, min: 1}
              mode: {type: string, default: fast, enum: [fast, slow]}
            outputs:
              model: {type: mlflow_model}
            """.formatted(SNAPSHOT);

    @Test
    void readsEveryField() throws Exception {
        ComponentSpec spec = ComponentDocument.parse(yaml(TRAIN), "");
        assertThat(spec.name()).isEqualTo("train_model");
        assertThat(spec.version()).contains("2");
        assertThat(spec.deterministic()).isFalse();
        assertThat(spec.codeSnapshot()).contains("a".repeat(64));
        assertThat(spec.environment()).contains("azureml:sklearn:3");
        assertThat(spec.inputs().get("data").required()).isTrue();
        assertThat(spec.inputs().get("epochs").required()).isFalse();
        assertThat(spec.inputs().get("lr").max()).contains(1.0);
        assertThat(spec.outputs().get("model").type()).isEqualTo(IoType.MLFLOW_MODEL);
    }

    @Test
    void optionalPartsAreKeptOnlyWithTheirValues() throws Exception {
        ComponentSpec spec = ComponentDocument.parse(yaml(TRAIN), "");
        assertThat(spec.commandFor(Set.of("data"))).isEqualTo(
                "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}}  --mode ${{inputs.mode}} --out ${{outputs.model}}");
        assertThat(spec.commandFor(Set.of("data", "epochs"))).contains("--epochs ${{inputs.epochs}}");
    }

    @Test
    void checksLiterals() throws Exception {
        ComponentSpec spec = ComponentDocument.parse(yaml(TRAIN), "");
        spec.inputs().get("lr").check("jobs.t.inputs.lr", "0.5");
        assertThatThrownBy(() -> spec.inputs().get("lr").check("jobs.t.inputs.lr", "2")).isInstanceOf(AtelierException.class)
                .hasMessageContaining("jobs.t.inputs.lr").hasMessageContaining("at most 1");
        assertThatThrownBy(() -> spec.inputs().get("epochs").check("f", "1.5")).hasMessageContaining("an integer");
        assertThatThrownBy(() -> spec.inputs().get("mode").check("f", "medium")).hasMessageContaining("[fast, slow]");
    }

    @Test
    void refusesBadDocumentsNamingTheField() throws Exception {
        String base = "name: c\ncommand: echo ${{inputs.x}}\ninputs:\n  x: {type: integer, default: 1}\n";
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: Bad-Name\ncommand: echo"), "jobs.s.component."))
                .hasMessageContaining("jobs.s.component.name");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo\ninputs:\n  x: {type: float}"), ""))
                .hasMessageContaining("inputs.x.type");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo\ninputs:\n  x: {type: number, min: 3, max: 1}"), ""))
                .hasMessageContaining("inputs.x.min");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo\ninputs:\n  x: {type: string, default: z, enum: [a]}"),
                "")).hasMessageContaining("inputs.x.default");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo ${{inputs.y}}"), ""))
                .hasMessageContaining("inputs.y");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo ${{inputs.x}}\ninputs:\n  x: {type: string, optional: true}"),
                "")).hasMessageContaining("$[[");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml(base + "code: ./src"), "")).hasMessageContaining("'code'");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml(base + "colour: red"), "")).hasMessageContaining("colour");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo $[[a $[[b]] c]]"), "")).hasMessageContaining("nested");
        assertThatThrownBy(() -> ComponentDocument.parse(yaml("name: c\ncommand: echo\noutputs:\n  o: {type: string}"), ""))
                .hasMessageContaining("outputs.o.type");
        assertThat(ComponentDocument.parse(yaml("name: c\ncommand: if [[ -f x ]]; then echo; fi"), "").command()).contains("[[ -f x ]]");
    }
}
