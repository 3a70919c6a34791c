package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary tensor data extension of the Open Inference Protocol
 * (open-inference-protocol's {@code extension_binary_data.md}): elements little-endian, row-major,
 * without padding, in the native size of the datatype ({@code BOOL} one byte 0 or 1); a {@code BYTES}
 * element is a 4-byte little-endian length followed by that many bytes (read and written as UTF-8).
 */
final class BinaryTensors {
    private BinaryTensors() {
    }

    /**
     * The tensor in {@code size} bytes of {@code body} from {@code offset}.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the size does not match the shape and datatype
     */
    static Tensor decode(String name, TensorType type, List<Long> shape, byte[] body, int offset, int size) {
        long count = 1;
        for (long dimension : shape) {
            count *= dimension;
        }
        ByteBuffer buffer = ByteBuffer.wrap(body, offset, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        int width = width(type);
        if (type != TensorType.BYTES && (long) width * count != size) {
            throw AtelierException.invalidParameter("input '" + name + "' has binary_data_size " + size + ", but shape " + shape
                    + " of " + type + " takes " + width * count + " bytes");
        }
        List<Object> values = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            values.add(switch (type) {
                case BOOL -> buffer.get() != 0;
                case INT8 -> (int) buffer.get();
                case UINT8 -> buffer.get() & 0xff;
                case INT16 -> (int) buffer.getShort();
                case INT32 -> buffer.getInt();
                case INT64 -> buffer.getLong();
                case FP32 -> buffer.getFloat();
                case FP64 -> buffer.getDouble();
                case BYTES -> text(name, buffer);
            });
        }
        if (buffer.hasRemaining()) {
            throw AtelierException.invalidParameter("input '" + name + "' has binary_data_size " + size + ", but its " + count
                    + " elements take " + buffer.position() + " bytes");
        }
        return new Tensor(name, type, shape, values);
    }

    /** The tensor's elements in binary form. */
    static byte[] encode(Tensor tensor) {
        List<byte[]> texts = new ArrayList<>();
        int size;
        if (tensor.type() == TensorType.BYTES) {
            size = 0;
            for (Object value : tensor.values()) {
                byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
                texts.add(text);
                size += 4 + text.length;
            }
        } else {
            size = width(tensor.type()) * tensor.values().size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensor.values().size(); i++) {
            Object value = tensor.values().get(i);
            switch (tensor.type()) {
                case BOOL -> buffer.put((byte) ((Boolean) value ? 1 : 0));
                case INT8, UINT8 -> buffer.put(((Number) value).byteValue());
                case INT16 -> buffer.putShort(((Number) value).shortValue());
                case INT32 -> buffer.putInt(((Number) value).intValue());
                case INT64 -> buffer.putLong(((Number) value).longValue());
                case FP32 -> buffer.putFloat(((Number) value).floatValue());
                case FP64 -> buffer.putDouble(((Number) value).doubleValue());
                case BYTES -> buffer.putInt(texts.get(i).length).put(texts.get(i));
            }
        }
        return buffer.array();
    }

    /**
     * The binary data after a request's JSON header: the last bytes of the body, as many as the
     * inputs' {@code binary_data_size} add up to, handed out in the order of the inputs. Between the
     * JSON object and the binary data only whitespace may stand (a header length that counts a
     * trailing newline).
     */
    static final class Section {
        private final byte[] body;
        private int next;

        Section(byte[] body, int headerLength, List<Object> inputs) {
            this.body = body;
            long total = 0;
            for (Object input : inputs) {
                if (input instanceof Map<?, ?> map && map.get("parameters") instanceof Map<?, ?> parameters
                        && parameters.get("binary_data_size") instanceof Number size) {
                    total += Math.max(0, size.longValue());
                }
            }
            long start = body.length - total;
            if (start < headerLength) {
                throw new AtelierException(ErrorCode.BAD_REQUEST, "the inputs' binary_data_size add up to " + total
                        + " bytes, but only " + (body.length - headerLength) + " bytes follow the JSON header");
            }
            for (long i = headerLength; i < start; i++) {
                if (!Character.isWhitespace(body[(int) i])) {
                    throw new AtelierException(ErrorCode.BAD_REQUEST, (start - headerLength) + " bytes follow the JSON header"
                            + " beyond the inputs' binary_data_size (" + total + " bytes)");
                }
            }
            this.next = (int) start;
        }

        /**
         * The size of an input's binary data, or -1 when it has JSON {@code data}.
         *
         * @throws AtelierException {@code INVALID_PARAMETER_VALUE} for a size that is no non-negative integer
         */
        static long size(String name, Map<String, Object> input) {
            if (!(input.get("parameters") instanceof Map<?, ?> parameters) || parameters.get("binary_data_size") == null) {
                return -1;
            }
            if (parameters.get("binary_data_size") instanceof Number size && (size instanceof Integer || size instanceof Long)
                    && size.longValue() >= 0) {
                return size.longValue();
            }
            throw AtelierException.invalidParameter("input '" + name + "' 'binary_data_size' must be a non-negative integer");
        }

        Tensor take(String name, TensorType type, List<Long> shape, int size) {
            Tensor tensor = decode(name, type, shape, body, next, size);
            next += size;
            return tensor;
        }
    }

    private static int width(TensorType type) {
        return switch (type) {
            case BOOL, INT8, UINT8, BYTES -> 1;
            case INT16 -> 2;
            case INT32, FP32 -> 4;
            case INT64, FP64 -> 8;
        };
    }

    private static String text(String name, ByteBuffer buffer) {
        if (buffer.remaining() < 4) {
            throw AtelierException.invalidParameter("input '" + name + "': its binary BYTES data end inside an element's length");
        }
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw AtelierException.invalidParameter("input '" + name + "': a binary BYTES element of " + length
                    + " bytes runs past its data");
        }
        byte[] text = new byte[length];
        buffer.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }
}
