package org.grad4j.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a {@link Tensor}'s values live: a Java array ({@link Small}) or an ND4J array ({@link Nd4jArray}). One object
 * per tensor, never changed; a small tensor's storage is replaced by an ND4J one the first time someone asks
 * for {@link Tensor#array()}. Records compared by identity of their arrays; nothing uses them as keys.
 */
sealed interface Storage permits Storage.Small, Storage.Nd4jArray {

    long[] shape();

    long size();

    DataType dataType();

    double item();

    float[] toFloatArray();

    double[] toDoubleArray();

    /** A new ND4J array with the values (a Java array is copied; an ND4J one duplicated). */
    INDArray copyArray();

    /** An ND4J array to print from: the storage's own, or a temporary one (printing must not move storage). */
    INDArray printable();

    /**
     * The values of a small float32 tensor (at most {@link Kernels#SMALL} elements) in row-major order. An ND4J
     * array costs microseconds to create and each ND4J op a dispatch, which is the whole cost of a seed-sized
     * model; Java loops over these are nanoseconds. Never written in place, so reshapes, detached copies and
     * gradients may share them (and the shape: shapes are never modified either).
     *
     * <p>{@code bornIn} is the workspace cycle the values were made in, if any, so that their ND4J array can live
     * there too: see {@link #toArray()}.
     */
    record Small(float[] values, long[] shape, MemoryWorkspace bornIn, long bornInGeneration) implements Storage {

        /** Storage made now, in the current workspace cycle if there is one. */
        static Small now(float[] values, long[] shape) {
            MemoryWorkspace ws = Nd4j.getMemoryManager().getCurrentWorkspace();
            return new Small(values, shape, ws, ws == null ? 0 : ws.getGenerationId());
        }

        /**
         * The same values, belonging to no workspace (for a gradient, which outlives its step): a copy when made in
         * a workspace cycle, whose Java arrays the next step may reuse ({@link StepArrays}).
         */
        Small outsideWorkspaces() {
            return bornIn == null ? this : new Small(values.clone(), shape, null, 0);
        }

        /**
         * A new ND4J array with the values. Made in a workspace only if they were made in the same cycle of the
         * same workspace (a training step's temporaries are freed with the step); otherwise outside any workspace,
         * so that a long-lived tensor first read inside a step does not end up in memory the next step reuses.
         */
        INDArray toArray() {
            MemoryWorkspace now = Nd4j.getMemoryManager().getCurrentWorkspace();
            if (now != null && now == bornIn && now.getGenerationId() == bornInGeneration) {
                return create();
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return create();
            }
        }

        private INDArray create() {
            return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
        }

        @Override
        public long size() {
            return values.length;
        }

        @Override
        public DataType dataType() {
            return DataType.FLOAT;
        }

        @Override
        public double item() {
            return values[0];
        }

        @Override
        public float[] toFloatArray() {
            return values.clone();
        }

        @Override
        public double[] toDoubleArray() {
            double[] out = new double[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
            return out;
        }

        @Override
        public INDArray copyArray() {
            return toArray();
        }

        @Override
        public INDArray printable() {
            return toArray();
        }
    }

    /** Values in an ND4J array, which is the tensor's storage: in-place changes to it are seen by every op. */
    record Nd4jArray(INDArray array) implements Storage {

        @Override
        public long[] shape() {
            return array.shape();
        }

        @Override
        public long size() {
            return array.length();
        }

        @Override
        public DataType dataType() {
            return array.dataType();
        }

        @Override
        public double item() {
            return array.getDouble(0);
        }

        @Override
        public float[] toFloatArray() {
            float[] block = floatBlock();
            return block != null ? block : array.reshape(array.length()).toFloatVector();
        }

        @Override
        public double[] toDoubleArray() {
            float[] block = floatBlock();
            if (block == null) {
                return array.reshape(array.length()).toDoubleVector();
            }
            double[] out = new double[block.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = block[i];
            }
            return out;
        }

        /**
         * A float32 array's values read straight from its memory when they lie in one row-major block (Java
         * mode), else null. ND4J's toFloatVector and toDoubleVector copy the array first, an ND4J op: a training
         * step reading its labels paid that dispatch and its native allocation every step.
         */
        private float[] floatBlock() {
            return FloatLoops.copyOf(array);
        }

        @Override
        public INDArray copyArray() {
            return array.dup();
        }

        @Override
        public INDArray printable() {
            return array;
        }
    }
}
