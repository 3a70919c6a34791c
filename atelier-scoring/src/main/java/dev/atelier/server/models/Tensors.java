package dev.atelier.server.models;

import dev.atelier.api.AtelierException;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Named tensors with unique names: MLflow's {@code instances}/{@code inputs} and the Open Inference
 * Protocol's {@code inputs}/{@code outputs}.
 */
public record Tensors(List<Tensor> tensors) implements ModelInput, ModelOutput {
    public Tensors {
        tensors = List.copyOf(requireNonNull(tensors, "tensors is null"));
        Set<String> names = new HashSet<>();
        for (Tensor tensor : tensors) {
            if (!names.add(tensor.name())) {
                throw AtelierException.invalidParameter("two tensors are named '" + tensor.name() + "'");
            }
        }
    }

    public static Tensors of(Tensor... tensors) {
        return new Tensors(List.of(tensors));
    }

    public Optional<Tensor> get(String name) {
        return tensors.stream().filter(tensor -> tensor.name().equals(name)).findFirst();
    }

    @Override
    public long batchSize() {
        return tensors.isEmpty() ? 0 : tensors.getFirst().batchSize();
    }
}
