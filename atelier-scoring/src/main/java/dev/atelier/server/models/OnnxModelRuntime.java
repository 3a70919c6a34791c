package dev.atelier.server.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.api.mlmodel.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX model (flavor {@code onnx}, file named by {@code data}) run by ONNX Runtime on the CPU.
 * Takes named tensors (converted to the element type each graph input declares) or, for a graph of
 * one two-dimensional input, a table whose columns become its features. Answers the graph's tensor
 * outputs; graphs with sequence or map outputs (scikit-learn's ZipMap) are refused at load time.
 * Thread-safe: ONNX Runtime sessions may run concurrently.
 */
public final class OnnxModelRuntime implements ModelRuntime {
    public static final String FLAVOR = "onnx";

    /** Each thread's direct buffer for {@link #matrixTensor}: a batch worker scores mini-batches one after another. */
    private static final ThreadLocal<java.nio.ByteBuffer> MATRIX_BUFFER = new ThreadLocal<>();

    private final OrtSession session;
    private final Map<String, TensorInfo> inputs;
    private final List<String> inputColumns;
    private final ModelSignature signature;

    private OnnxModelRuntime(OrtSession session, Map<String, TensorInfo> inputs, List<String> inputColumns, ModelSignature signature) {
        this.session = session;
        this.inputs = inputs;
        this.inputColumns = inputColumns;
        this.signature = signature;
    }

    /** Loads {@code onnx} models. */
    public static final class Factory implements ModelRuntimeFactory {
        @Override
        public String flavor() {
            return FLAVOR;
        }

        @Override
        public ModelRuntime load(Path directory, MlModel model) {
            Path file = MlModelDirectory.flavorFile(directory, model, FLAVOR, "data");
            OrtSession session;
            try (OrtSession.SessionOptions options = sessionOptions()) {
                session = OnnxEnvironment.get().createSession(file.toString(), options);
            } catch (OrtException e) {
                throw AtelierException.invalidParameter("the onnx model file '" + file.getFileName() + "' cannot be loaded: " + e.getMessage());
            }
            try {
                Map<String, TensorInfo> inputs = tensorInfos(session.getInputInfo(), "input");
                Map<String, TensorInfo> outputs = tensorInfos(session.getOutputInfo(), "output");
                return new OnnxModelRuntime(session, inputs, DeclaredSignature.inputColumns(model),
                        DeclaredSignature.merge(model, specs(inputs), specs(outputs)));
            } catch (OrtException | RuntimeException e) {
                closeQuietly(session);
                throw e instanceof AtelierException atelier ? atelier
                        : new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "the onnx model cannot be described: " + e, e);
            }
        }
    }

    /** One intra-op thread per prediction, as for XGBoost: concurrency comes from concurrent requests. */
    private static OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        return options;
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutput predict(ModelInput input) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Tensor tensor : feedTensors(input)) {
                feeds.put(tensor.name(), OnnxTensors.create(tensor, inputs.get(tensor.name())));
            }
            return run(feeds);
        } catch (OrtException e) {
            throw AtelierException.invalidParameter("the onnx model refused the input: " + e.getMessage());
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private Tensors run(Map<String, OnnxTensor> feeds) throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            List<Tensor> outputs = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.add(OnnxTensors.read(entry.getKey(), (OnnxTensor) entry.getValue()));
            }
            return new Tensors(outputs);
        }
    }

    /** A model of one float or double input of shape [rows, columns] gets the numbers without a boxed {@link Tensor}. */
    @Override
    public ModelOutput predictMatrix(double[] values, int rows, int columns) {
        String input = matrixInput(rows, columns);
        if (input == null) {
            return ModelRuntime.super.predictMatrix(values, rows, columns);
        }
        try (OnnxTensor tensor = matrixTensor(input, values, rows, columns)) {
            return run(Map.of(input, tensor));
        } catch (OrtException e) {
            throw AtelierException.invalidParameter("the onnx model refused the input: " + e.getMessage());
        }
    }

    /** The same as {@link #predictMatrix}, each output read straight from ONNX Runtime's buffer into a primitive array. */
    @Override
    public Optional<List<ArrayOutput>> predictMatrixArrays(double[] values, int rows, int columns) {
        String input = matrixInput(rows, columns);
        if (input == null) {
            return Optional.empty();
        }
        try (OnnxTensor tensor = matrixTensor(input, values, rows, columns); OrtSession.Result result = session.run(Map.of(input, tensor))) {
            List<ArrayOutput> outputs = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.add(OnnxTensors.readArray(entry.getKey(), (OnnxTensor) entry.getValue()));
            }
            return Optional.of(outputs);
        } catch (OrtException e) {
            throw AtelierException.invalidParameter("the onnx model refused the input: " + e.getMessage());
        }
    }

    /** The name of the graph's only input when it is a float or double matrix that takes {@code rows × columns}; else null. */
    private String matrixInput(int rows, int columns) {
        Map.Entry<String, TensorInfo> only = inputs.size() == 1 ? inputs.entrySet().iterator().next() : null;
        long[] expected = only == null ? new long[0] : only.getValue().getShape();
        if (only == null || expected.length != 2 || (expected[0] >= 0 && expected[0] != rows) || (expected[1] >= 0 && expected[1] != columns)
                || (only.getValue().type != ai.onnxruntime.OnnxJavaType.FLOAT && only.getValue().type != ai.onnxruntime.OnnxJavaType.DOUBLE)) {
            return null;
        }
        return only.getKey();
    }

    /**
     * The matrix as a tensor of the input's element type, over a direct buffer of the calling thread that the next
     * mini-batch of the same thread reuses (ONNX Runtime reads a direct buffer in place: no copy, no new buffer per call).
     */
    private OnnxTensor matrixTensor(String input, double[] values, int rows, int columns) throws OrtException {
        long[] shape = {rows, columns};
        int count = rows * columns;
        boolean floats = inputs.get(input).type == ai.onnxruntime.OnnxJavaType.FLOAT;
        java.nio.ByteBuffer buffer = MATRIX_BUFFER.get();
        int bytes = count * (floats ? Float.BYTES : Double.BYTES);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = java.nio.ByteBuffer.allocateDirect(bytes).order(java.nio.ByteOrder.nativeOrder());
            MATRIX_BUFFER.set(buffer);
        }
        buffer.clear().limit(bytes);
        if (floats) {
            java.nio.FloatBuffer target = buffer.asFloatBuffer();
            for (int i = 0; i < count; i++) {
                target.put(i, (float) values[i]);
            }
            return OnnxTensor.createTensor(OnnxEnvironment.get(), target, shape);
        }
        java.nio.DoubleBuffer target = buffer.asDoubleBuffer();
        target.put(0, values, 0, count);
        return OnnxTensor.createTensor(OnnxEnvironment.get(), target, shape);
    }

    /** The input as one tensor per graph input, checked against the graph's names, ranks and fixed dimensions. */
    private List<Tensor> feedTensors(ModelInput input) {
        List<Tensor> tensors = switch (input) {
            case Tensors given when given.tensors().size() == 1 && inputs.size() == 1
                    && !inputs.containsKey(given.tensors().getFirst().name()) -> List.of(renamed(given.tensors().getFirst(), inputs.keySet().iterator().next()));
            case Tensors given -> given.tensors();
            case Table table -> List.of(tableTensor(table));
        };
        for (Tensor tensor : tensors) {
            TensorInfo info = inputs.get(tensor.name());
            if (info == null) {
                throw AtelierException.invalidParameter("the model has no input '" + tensor.name() + "'; its inputs are " + inputs.keySet());
            }
            long[] expected = info.getShape();
            if (expected.length != tensor.shape().size()) {
                throw AtelierException.invalidParameter("input '" + tensor.name() + "' must have " + expected.length
                        + " dimensions " + Arrays.toString(expected) + ", has shape " + tensor.shape());
            }
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] >= 0 && expected[i] != tensor.shape().get(i)) {
                    throw AtelierException.invalidParameter("input '" + tensor.name() + "' must have shape "
                            + Arrays.toString(expected) + " (-1: any), has " + tensor.shape());
                }
            }
        }
        if (tensors.size() != inputs.size()) {
            throw AtelierException.invalidParameter("the model takes inputs " + inputs.keySet() + ", got "
                    + tensors.stream().map(Tensor::name).toList());
        }
        return tensors;
    }

    private Tensor tableTensor(Table table) {
        if (inputs.size() != 1 || inputs.values().iterator().next().getShape().length != 2) {
            throw AtelierException.invalidParameter("a table fits only a model of one two-dimensional input; this model takes "
                    + inputs.keySet() + ": send tensors");
        }
        Map.Entry<String, TensorInfo> only = inputs.entrySet().iterator().next();
        long width = only.getValue().getShape()[1];
        FeatureMatrix matrix = FeatureMatrix.of(table, inputColumns, width >= 0 ? Math.toIntExact(width) : -1);
        return new Tensor(only.getKey(), TensorType.FP64, List.of((long) matrix.rows(), (long) matrix.columns()),
                Arrays.stream(matrix.values()).boxed().map(Object.class::cast).toList());
    }

    private static Tensor renamed(Tensor tensor, String name) {
        return new Tensor(name, tensor.type(), tensor.shape(), tensor.values());
    }

    private static Map<String, TensorInfo> tensorInfos(Map<String, NodeInfo> nodes, String kind) {
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        nodes.forEach((name, node) -> {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw AtelierException.invalidParameter("the onnx model's " + kind + " '" + name + "' is not a tensor ("
                        + node.getInfo() + "); Atelier runs models of tensor inputs and outputs (export scikit-learn "
                        + "classifiers with zipmap=False)");
            }
            infos.put(name, info);
        });
        return infos;
    }

    private static Schema specs(Map<String, TensorInfo> infos) {
        List<SchemaSpec> specs = new ArrayList<>();
        infos.forEach((name, info) -> specs.add(new TensorSpec(Optional.of(name), OnnxTensors.type(info.type).numpyName(),
                Arrays.stream(info.getShape()).map(dimension -> dimension < 0 ? -1 : dimension).boxed().toList())));
        return new Schema(specs);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the load failed already; that failure is the one to report
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }
}
