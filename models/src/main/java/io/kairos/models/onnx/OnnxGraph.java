package io.kairos.models.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model file: a graph of float tensors {@code [N, width]}, operator nodes with attributes, and constant
 * initializers. Only what Kairos's converted models need is covered; the bytes follow {@code onnx.proto} (IR version 8,
 * opsets {@code ai.onnx} 15 and {@code ai.onnx.ml} 3) and are encoded with protobuf-java's {@link CodedOutputStream},
 * field by field, so no generated ONNX classes are needed.
 */
public final class OnnxGraph {
    /** The ONNX domain of the classical-ML operators (TreeEnsembleRegressor, …). */
    public static final String ML = "ai.onnx.ml";

    private static final long IR_VERSION = 8;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final String name;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A float input of shape {@code [N, width]} (N: any batch size). */
    public OnnxGraph input(String input, int width) {
        inputs.add(valueInfo(input, width));
        return this;
    }

    /** A float output of shape {@code [N, width]}. */
    public OnnxGraph output(String output, int width) {
        outputs.add(valueInfo(output, width));
        return this;
    }

    /** A key/value pair in the model's metadata (read back with ONNX Runtime's custom metadata). */
    public OnnxGraph metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A constant float tensor. */
    public OnnxGraph constant(String tensor, long[] dims, float... values) {
        var t = new Message().int64s(1, dims).int64(2, FLOAT);
        for (float v : values) t.float32(4, v);
        initializers.add(t.string(8, tensor).bytes());
        return this;
    }

    /** A constant int64 tensor. */
    public OnnxGraph constant(String tensor, long[] dims, long... values) {
        initializers.add(new Message()
                .int64s(1, dims)
                .int64(2, INT64)
                .int64s(7, values)
                .string(8, tensor)
                .bytes());
        return this;
    }

    /** An operator node; {@code domain} is {@code ""} for standard ONNX operators. */
    public OnnxGraph node(String opType, String domain, List<String> in, List<String> out, Attribute... attributes) {
        var n = new Message();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, out.get(0)).string(4, opType);
        for (Attribute a : attributes) n.message(5, a.encode());
        n.string(7, domain);
        nodes.add(n.bytes());
        return this;
    }

    /** The model file. */
    public byte[] toBytes() {
        var graph = new Message();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(i -> graph.message(5, i));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        var model = new Message()
                .int64(1, IR_VERSION)
                .string(2, "kairos")
                .message(7, graph.bytes())
                .message(8, new Message().string(1, "").int64(2, 15).bytes())
                .message(8, new Message().string(1, ML).int64(2, 3).bytes());
        metadata.forEach((k, v) ->
                model.message(14, new Message().string(1, k).string(2, v).bytes()));
        return model.bytes();
    }

    private static byte[] valueInfo(String name, int width) {
        var shape = new Message()
                .message(1, new Message().string(2, "N").bytes())
                .message(1, new Message().int64(1, width).bytes());
        var tensor = new Message().int64(1, FLOAT).message(2, shape.bytes());
        var type = new Message().message(1, tensor.bytes());
        return new Message().string(1, name).message(2, type.bytes()).bytes();
    }

    /** One node attribute: a name and a value of one of ONNX's attribute types. */
    public static final class Attribute {
        private final Message message;

        private Attribute(String name, int type) {
            this.message = new Message().string(1, name).int64(20, type);
        }

        public static Attribute of(String name, long value) {
            var a = new Attribute(name, 2);
            a.message.int64(3, value);
            return a;
        }

        public static Attribute of(String name, String value) {
            var a = new Attribute(name, 3);
            a.message.string(4, value);
            return a;
        }

        public static Attribute floats(String name, float[] values) {
            var a = new Attribute(name, 6);
            for (float v : values) a.message.float32(7, v);
            return a;
        }

        public static Attribute ints(String name, long[] values) {
            var a = new Attribute(name, 7);
            a.message.int64s(8, values);
            return a;
        }

        public static Attribute strings(String name, List<String> values) {
            var a = new Attribute(name, 8);
            values.forEach(v -> a.message.string(9, v));
            return a;
        }

        byte[] encode() {
            return message.bytes();
        }
    }

    /** A protobuf message written field by field (repeated scalars unpacked, as proto2 {@code onnx.proto} declares). */
    private static final class Message {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

        Message string(int field, String value) {
            return write(() -> out.writeBytes(field, ByteString.copyFromUtf8(value)));
        }

        Message int64(int field, long value) {
            return write(() -> out.writeInt64(field, value));
        }

        Message int64s(int field, long[] values) {
            return write(() -> {
                for (long v : values) out.writeInt64(field, v);
            });
        }

        Message float32(int field, float value) {
            return write(() -> out.writeFloat(field, value));
        }

        Message message(int field, byte[] encoded) {
            return write(() -> out.writeByteArray(field, encoded));
        }

        byte[] bytes() {
            return write(out::flush).buffer.toByteArray();
        }

        private Message write(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface Write {
            void run() throws IOException;
        }
    }
}
