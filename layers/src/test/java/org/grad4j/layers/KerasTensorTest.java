package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Calling layers on symbolic tensors: inferred shapes, recorded nodes, the layers' own errors. */
class KerasTensorTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
    }

    private static KerasTensor input(long... shape) {
        InputLayer layer = new InputLayer(shape);
        layer.build(layer.batchShape());
        return KerasTensor.of(layer);
    }

    @Test
    void shapesAreInferredByTheLayersThemselves() {
        KerasTensor image = input(28, 28, 1);
        Tensor conv = new Conv2D(32, 3).padding("same").strides(2).activation("relu").apply(image);
        assertArrayEquals(new long[] {-1, 14, 14, 32}, conv.shape());
        Tensor pooled = new MaxPooling2D(2).apply(conv);
        assertArrayEquals(new long[] {-1, 7, 7, 32}, pooled.shape());
        Tensor flat = new Flatten().apply(pooled);
        assertArrayEquals(new long[] {-1, 7 * 7 * 32}, flat.shape());
        assertTrue(flat instanceof KerasTensor);
        assertEquals(DataType.FLOAT, flat.dataType());
    }

    @Test
    void mergeLayersTakeListsAndRecordOneNode() {
        KerasTensor a = input(3);
        KerasTensor b = input(5);
        Concatenate concat = new Concatenate();
        Tensor joined = concat.apply(List.of(a, b));
        assertArrayEquals(new long[] {-1, 8}, joined.shape());
        LayerNode node = concat.inboundNodes().get(0);
        assertEquals(CallKind.LIST, node.kind());
        assertEquals(List.of(a, b), node.inputs());
        assertSame(joined, node.outputs().get(0));
    }

    @Test
    void recurrentLayersReturnTheirStatesSymbolically() {
        KerasTensor seq = input(6, 3);
        List<Tensor> lstm = new LSTM(4).returnState(true).callWithState(seq, false);
        assertEquals(3, lstm.size());
        assertEquals(List.of(0, 1, 2), lstm.stream().map(t -> ((KerasTensor) t).tensorIndex()).toList());
        List<Tensor> bi = new Bidirectional(new GRU(2).returnState(true)).callWithState(seq, false);
        assertArrayEquals(new long[] {-1, 4}, bi.get(0).shape());
        assertArrayEquals(new long[] {-1, 2}, bi.get(1).shape());
        Tensor attended = new MultiHeadAttention(2, 4).call(seq, seq);
        assertArrayEquals(new long[] {-1, 6, 3}, attended.shape());
    }

    @Test
    void aRejectedShapeFailsWithTheLayersMessageAndRecordsNothing() {
        Dense dense = new Dense(2);
        dense.build(-1, 5);
        KerasTensor wrong = input(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dense.apply(wrong));
        assertTrue(e.getMessage().startsWith("dense (Dense)"), e.getMessage());
        assertEquals(List.of(), dense.inboundNodes());
        Add add = new Add();
        IllegalArgumentException merge = assertThrows(IllegalArgumentException.class,
                () -> add.apply(List.of(input(3), input(4))));
        assertTrue(merge.getMessage().startsWith("add (Add)"), merge.getMessage());
        assertEquals(List.of(), add.inboundNodes());
    }

    @Test
    void symbolicAndConcreteInputsDoNotMix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Add().apply(List.of(input(3), Tensor.of(Nd4j.zeros(DataType.FLOAT, 2, 3)))));
        assertTrue(e.getMessage().contains("symbolic and concrete"), e.getMessage());
    }

    @Test
    void concreteCallsRecordNoNodes() {
        Dense dense = new Dense(2);
        dense.apply(Tensor.of(Nd4j.zeros(DataType.FLOAT, 2, 3)));
        assertEquals(List.of(), dense.inboundNodes());
    }
}
