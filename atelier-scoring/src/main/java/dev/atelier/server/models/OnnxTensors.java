package dev.atelier.server.models;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.atelier.api.AtelierException;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Conversions between {@link Tensor} and ONNX Runtime's {@link OnnxTensor}. */
final class OnnxTensors {
    private OnnxTensors() {
    }

    /** The tensor type of an ONNX element type. */
    static TensorType type(OnnxJavaType type) {
        return switch (type) {
            case FLOAT, FLOAT16, BFLOAT16 -> TensorType.FP32;
            case DOUBLE -> TensorType.FP64;
            case INT8 -> TensorType.INT8;
            case UINT8 -> TensorType.UINT8;
            case INT16 -> TensorType.INT16;
            case INT32 -> TensorType.INT32;
            case INT64 -> TensorType.INT64;
            case BOOL -> TensorType.BOOL;
            case STRING -> TensorType.BYTES;
            default -> throw AtelierException.invalidParameter("the onnx model uses element type " + type + ", which Atelier does not support");
        };
    }

    /** An ONNX tensor of the element type the graph input declares, converting the values (such as FP64 to float). */
    static OnnxTensor create(Tensor tensor, TensorInfo expected) throws OrtException {
        OrtEnvironment environment = OnnxEnvironment.get();
        long[] shape = tensor.shape().stream().mapToLong(Long::longValue).toArray();
        TensorType want = type(expected.type);
        if (want == TensorType.BYTES) {
            if (tensor.type() != TensorType.BYTES) {
                throw mismatch(tensor, want);
            }
            return OnnxTensor.createTensor(environment, tensor.values().toArray(String[]::new), shape);
        }
        if (want == TensorType.BOOL) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(tensor.values().size());
            for (Object value : tensor.values()) {
                bytes.put((byte) (value instanceof Boolean bool ? (bool ? 1 : 0) : (((Number) value).doubleValue() != 0 ? 1 : 0)));
            }
            return OnnxTensor.createTensor(environment, bytes.rewind(), shape, OnnxJavaType.BOOL);
        }
        if (!tensor.type().isNumeric()) {
            throw mismatch(tensor, want);
        }
        return switch (expected.type) {
            case DOUBLE -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap(tensor.doubles()), shape);
            case INT64 -> OnnxTensor.createTensor(environment, LongBuffer.wrap(tensor.longs()), shape);
            case INT32 -> OnnxTensor.createTensor(environment,
                    IntBuffer.wrap(Arrays.stream(tensor.longs()).mapToInt(Math::toIntExact).toArray()), shape);
            case INT16 -> {
                ShortBuffer shorts = ShortBuffer.allocate(tensor.values().size());
                Arrays.stream(tensor.longs()).forEach(value -> shorts.put((short) value));
                yield OnnxTensor.createTensor(environment, shorts.rewind(), shape);
            }
            case INT8, UINT8 -> {
                ByteBuffer bytes = ByteBuffer.allocateDirect(tensor.values().size());
                Arrays.stream(tensor.longs()).forEach(value -> bytes.put((byte) value));
                yield OnnxTensor.createTensor(environment, bytes.rewind(), shape, expected.type);
            }
            case FLOAT -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.floats()), shape);
            default -> throw mismatch(tensor, want);
        };
    }

    /** A graph output as a {@link Tensor}. */
    static Tensor read(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        List<Object> values = new ArrayList<>();
        flatten(value.getValue(), values);
        TensorType type = type(info.type);
        if (type == TensorType.FP32) {
            values.replaceAll(element -> element instanceof Number number ? number.floatValue() : element);
        }
        return new Tensor(name, type, Arrays.stream(info.getShape()).boxed().toList(), values);
    }

    /**
     * A graph output with its elements copied out of ONNX Runtime's buffer into a primitive array, none boxed
     * ({@link ArrayOutput}); element types without a buffer (strings, booleans, half floats) go through {@link #read}.
     */
    static ArrayOutput readArray(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        List<Long> shape = Arrays.stream(info.getShape()).boxed().toList();
        int count = Math.toIntExact(info.getNumElements());
        return switch (info.type) {
            case FLOAT -> {
                float[] floats = new float[count];
                value.getFloatBuffer().get(floats);
                yield new ArrayOutput(name, TensorType.FP32, shape, floats);
            }
            case DOUBLE -> {
                double[] doubles = new double[count];
                value.getDoubleBuffer().get(doubles);
                yield new ArrayOutput(name, TensorType.FP64, shape, doubles);
            }
            case INT64 -> {
                long[] longs = new long[count];
                value.getLongBuffer().get(longs);
                yield new ArrayOutput(name, TensorType.INT64, shape, longs);
            }
            case INT32 -> {
                java.nio.IntBuffer ints = value.getIntBuffer();
                long[] longs = new long[count];
                for (int i = 0; i < count; i++) {
                    longs[i] = ints.get(i);
                }
                yield new ArrayOutput(name, TensorType.INT32, shape, longs);
            }
            default -> ArrayOutput.of(read(name, value));
        };
    }

    private static void flatten(Object value, List<Object> into) {
        if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), into);
            }
        } else {
            into.add(value);
        }
    }

    private static AtelierException mismatch(Tensor tensor, TensorType want) {
        return AtelierException.invalidParameter("input '" + tensor.name() + "' must hold " + want + " values, got " + tensor.type());
    }
}
