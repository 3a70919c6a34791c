package dev.atelier.server.artifacts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactMediaTypesTest {
    @ParameterizedTest
    @CsvSource({
            "dataset.json, text/plain", "summary.txt, text/plain", "conda.yaml, text/plain", "README.md, text/plain",
            "confusion_matrix.csv, text/plain", "empty.log, text/plain", "MLmodel, text/plain", "MLproject, text/plain",
            "train.py, text/plain",
            "model.pkl, application/octet-stream", "weights.bin, application/octet-stream",
            "noextension, application/octet-stream", "model.onnx, application/octet-stream",
            "plot.png, image/png", "PLOT.PNG, image/png", "photo.jpeg, image/jpeg", "chart.svg, image/svg+xml",
            "report.html, text/html", "paper.pdf, application/pdf", "data.zip, application/zip",
            "model.tar.gz, application/x-tar", "model.tgz, application/x-tar", "data.gz, application/octet-stream",
            ".hidden, application/octet-stream", "weights.h5, application/x-hdf5",
            "DATA.JSON, application/json", "NOTES.TXT, text/plain"})
    void guessesContentTypeAsMlflow(String fileName, String expected) {
        assertThat(ArtifactMediaTypes.guess(fileName)).isEqualTo(expected);
    }
}
