package org.grad4j.models.saving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX graph being written: nodes, constant tensors (initializers) and names that never collide. The protobuf
 * classes are ONNX's own, generated from its onnx.proto and shipped in nd4j-api (package {@code onnx}), so grad4j
 * writes the format through ONNX's schema rather than by hand.
 */
final class OnnxGraph {
    /** ONNX's IR version 7 is the first that allows opset 13; every ONNX Runtime since 1.7 reads it. */
    static final long IR_VERSION = 7;
    static final long OPSET = 13;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... if taken: ONNX requires each value to be named once. */
    String fresh(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Adds {@code value} (as float32, C order) as a named constant and returns its name. */
    String constant(String base, INDArray value) {
        String name = fresh(base);
        INDArray c = value.castTo(DataType.FLOAT).dup('c');
        float[] data = c.data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);   // ONNX raw_data is little-endian
        bytes.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder()
                .setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : c.shape()) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** Adds a 1-D int64 constant, the type ONNX wants for shapes and axes. */
    String longs(String base, long... values) {
        String name = fresh(base);
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder()
                .setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** Keeps {@code name} for a later exact use (a graph output): {@link #fresh} will not hand it out. */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("exportOnnx: the name \"" + name + "\" is taken twice");
        }
    }

    /** Adds a 0-d int64 constant: an index that Gather drops its axis for. */
    String longScalar(String base, long value) {
        String name = fresh(base);
        graph.addInitializer(Onnx.TensorProto.newBuilder()
                .setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addInt64Data(value));
        return name;
    }

    /** Adds a node computing one output named after {@code base}; returns that output's name. */
    String node(String op, String base, Attr[] attributes, String... inputs) {
        return nodeOutputs(op, base, 1, attributes, inputs)[0];
    }

    /**
     * Adds a node with {@code count} outputs, named after {@code base} ({@code base}, {@code base/1}, ...); returns
     * their names. An empty input name is ONNX's way of leaving an optional input out.
     */
    String[] nodeOutputs(String op, String base, int count, Attr[] attributes, String... inputs) {
        String[] outputs = new String[count];
        outputs[0] = fresh(base);
        for (int i = 1; i < count; i++) {
            outputs[i] = fresh(outputs[0] + "/" + i);
        }
        add(op, outputs[0], outputs, attributes, inputs);
        return outputs;
    }

    private void add(String op, String name, String[] outputs, Attr[] attributes, String... inputs) {
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder()
                .setOpType(op)
                .setName(name);
        for (String output : outputs) {
            node.addOutput(output);
        }
        for (String input : inputs) {
            node.addInput(input);
        }
        for (Attr a : attributes) {
            node.addAttribute(a.proto());
        }
        graph.addNode(node);
    }

    String node(String op, String base, String... inputs) {
        return node(op, base, new Attr[0], inputs);
    }

    /**
     * Declares the graph's float32 input; an unknown batch dimension becomes the symbolic {@code batch}, shared by
     * every input and output, and any other unknown dimension a name of its own.
     */
    void input(String name, long[] shape) {
        reserve(name);
        graph.addInput(value(name, shape));
    }

    /** Declares {@code name}, reserved before, as a graph output equal to {@code source}. */
    void output(String name, String source, long[] shape) {
        if (!names.contains(name)) {
            throw new IllegalStateException("exportOnnx: output name \"" + name + "\" was not reserved");
        }
        add("Identity", name, new String[] {name}, new Attr[0], source);
        graph.addOutput(value(name, shape));
    }

    /** The whole model, ready to serialize. */
    Onnx.ModelProto model(String producerVersion) {
        return Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("grad4j")
                .setProducerVersion(producerVersion)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private static Onnx.ValueInfoProto value(String name, long[] shape) {
        Onnx.TensorShapeProto.Builder dims = Onnx.TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            dims.addDim(shape[i] >= 0 ? dim.setDimValue(shape[i])
                    : dim.setDimParam(i == 0 ? "batch" : name + "_dim" + i));
        }
        Onnx.TypeProto.Tensor.Builder tensor = Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setShape(dims);
        return Onnx.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    /** A node attribute: an int, a float, a string or a list of ints. */
    record Attr(Onnx.AttributeProto proto) {
        static Attr ints(String name, long... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return new Attr(a.build());
        }

        static Attr integer(String name, long value) {
            return new Attr(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build());
        }

        static Attr strings(String name, List<String> values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRINGS);
            for (String v : values) {
                a.addStrings(ByteString.copyFromUtf8(v));
            }
            return new Attr(a.build());
        }

        static Attr string(String name, String value) {
            return new Attr(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build());
        }

        static Attr real(String name, double value) {
            return new Attr(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF((float) value).build());
        }
    }
}
