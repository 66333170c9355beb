package org.grad4j.core;

import org.grad4j.core.internal.NativeDefaults;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Values (in a Java array while small, else in an ND4J array: see {@link #array()}) plus, when they were computed
 * from tracked inputs, the graph {@link Node} that produced them. Ops compute eagerly and broadcast with NumPy's
 * rules; their gradients are summed back to each input's shape.
 *
 * <p>Two doors lead to gradients: PyTorch's ({@link #requiresGrad(boolean)}, {@link #backward()},
 * {@link #grad()}) and TensorFlow's ({@link GradientTape}). Both walk the same graph.
 *
 * <p>Data types: float32 unless asked otherwise (see {@link #defaultFloatType()}). An op on two tensors of
 * different types, float32 and float64 say, throws an error naming both: grad4j does not promote (TensorFlow's
 * rule, not PyTorch's), so one float64 constant cannot quietly move a float32 model's arithmetic to float64.
 */
public class Tensor {
    static {
        NativeDefaults.apply();   // before ND4J loads
        BlasThreads.configure();
    }

    /** Where the values live (a Java array or an ND4J array); replaced only when a small tensor moves to ND4J. */
    private Storage storage;
    Node node;
    boolean requiresGrad;
    private Tensor grad;

    protected Tensor(INDArray array) {
        if (array == null) {
            throw new IllegalArgumentException("Tensor: the array is null");
        }
        this.storage = new Storage.Nd4jArray(array);
    }

    /** A small float32 tensor over {@code values} and {@code shape}, not copied (shapes are never modified). */
    Tensor(float[] values, long[] shape) {
        this.storage = Storage.Small.now(values, shape);
    }

    private Tensor(Storage storage) {
        this.storage = storage;
    }

    // ---------------------------------------------------------------- default float type

    /**
     * The type of tensors made from Java doubles ({@link #of(double[], long...)}, {@link #scalar(double)}) and of
     * {@link #zeros}, {@link #ones} and the random factories: {@code DataType.FLOAT} (float32) unless changed,
     * as in PyTorch and Keras. Factories taking floats always make float32; those taking a {@code DataType}
     * make that type. While {@link GradientCheck} evaluates a function it is {@code DataType.DOUBLE} on that
     * thread, so constants made inside the function match its float64 inputs.
     */
    public static DataType defaultFloatType() { return FloatTypes.current(); }

    /**
     * Sets {@link #defaultFloatType()} for the whole JVM, like PyTorch's {@code torch.set_default_dtype}:
     * {@code DataType.FLOAT} or {@code DataType.DOUBLE} (float64, for exact work such as gradient checks).
     * Tensors already made keep their type. Returns the previous default, so a caller can restore it.
     */
    public static DataType setDefaultFloatType(DataType type) { return FloatTypes.setGlobal(type); }

    // ---------------------------------------------------------------- factories

    /** Wraps an ND4J array without copying it. */
    public static Tensor of(INDArray array) { return new Tensor(array); }

    /** A float32 tensor of the given values in row-major order; no shape means a vector. */
    public static Tensor of(float[] values, long... shape) { return FloatTypes.tensor(values, shape); }

    /**
     * A tensor of the {@link #defaultFloatType()} (float32 unless changed) with the given values in row-major
     * order; no shape means a vector. {@code Tensor.of(new double[] {1, 2, 3, 4}, 2, 2)} has shape {@code [2, 2]}.
     */
    public static Tensor of(double[] values, long... shape) { return of(values, defaultFloatType(), shape); }

    /**
     * A tensor of {@code type} with the given values in row-major order (cast as ND4J casts); no shape means a
     * vector. {@code Tensor.of(values, DataType.DOUBLE, 2, 3)} is a float64 {@code [2, 3]} tensor whatever the
     * default.
     */
    public static Tensor of(double[] values, DataType type, long... shape) {
        return FloatTypes.tensor(values, type, shape);
    }

    /** A rank-0 float32 tensor. */
    public static Tensor scalar(float value) { return FloatTypes.scalar(value); }

    /** A rank-0 tensor of the {@link #defaultFloatType()} (float32 unless changed). */
    public static Tensor scalar(double value) { return scalar(value, defaultFloatType()); }

    /** A rank-0 tensor of {@code type}: {@code Tensor.scalar(2.0, DataType.DOUBLE)} is float64. */
    public static Tensor scalar(double value, DataType type) {
        return FloatTypes.tensor("Tensor.scalar", new double[] {value}, type, new long[0]);
    }

    /** Zeros of the {@link #defaultFloatType()}. */
    public static Tensor zeros(long... shape) { return FloatTypes.filled(defaultFloatType(), shape, 0f); }

    /** Ones of the {@link #defaultFloatType()}. */
    public static Tensor ones(long... shape) { return FloatTypes.filled(defaultFloatType(), shape, 1f); }

    public static Tensor zerosLike(Tensor t) { return FloatTypes.filled(t.dataType(), t.shape(), 0f); }

    public static Tensor onesLike(Tensor t) { return FloatTypes.filled(t.dataType(), t.shape(), 1f); }

    /**
     * Samples of N(mean, stddev²) from a generator seeded with {@code seed}, drawn in float32 and given the
     * {@link #defaultFloatType()} (so a seed gives the same numbers whatever the default).
     */
    public static Tensor randomNormal(long[] shape, double mean, double stddev, long seed) {
        return FloatTypes.ofDefaultType(Seeds.normal(new java.util.SplittableRandom(seed), shape, mean, stddev));
    }

    /** Samples of U[min, max) from a generator seeded with {@code seed}; types as {@link #randomNormal}. */
    public static Tensor randomUniform(long[] shape, double min, double max, long seed) {
        return FloatTypes.ofDefaultType(Seeds.uniform(new java.util.SplittableRandom(seed), shape, min, max));
    }

    /** Standard normal samples from grad4j's global stream (see {@link Seeds#set}); types as {@link #randomNormal}. */
    public static Tensor randn(long... shape) {
        return FloatTypes.ofDefaultType(Seeds.normal(Seeds.stream(), shape, 0, 1));
    }

    // ---------------------------------------------------------------- data

    /**
     * The underlying ND4J array (not a copy). A small tensor moves its values into a new array on the first
     * call; from then on that array is the tensor's storage, so in-place changes to it are seen by every op.
     */
    public INDArray array() {
        if (storage instanceof Storage.Small small) {
            storage = new Storage.Nd4jArray(small.toArray());
        }
        return ((Storage.Nd4jArray) storage).array();
    }

    /** A new ND4J array with this tensor's values, owned by the caller (free to change it in place). */
    public INDArray copyArray() { return storage.copyArray(); }

    /**
     * True if the values already live in an ND4J array, so {@link #array()} costs nothing; false while a small
     * tensor keeps them in a Java array ({@link #array()} would then make an ND4J array of them).
     */
    public boolean hasArray() { return !isSmallBacked(); }

    /**
     * Copies the values into {@code target}, an ND4J array of the same shape and data type, without making an
     * ND4J array of a small tensor's values first (an optimizer's kept gradient buffer, say).
     */
    public void copyInto(INDArray target) {
        if (target == null || !java.util.Arrays.equals(target.shape(), shape()) || target.dataType() != dataType()) {
            throw new IllegalArgumentException("copyInto: target " + (target == null ? "null" : target.dataType() + " "
                    + Shapes.format(target.shape())) + " must have this tensor's shape and type, " + dataType() + " "
                    + Shapes.format(shape()));
        }
        java.nio.FloatBuffer into = storage instanceof Storage.Small ? FloatLoops.floats(target) : null;
        if (into != null) {
            into.put(0, ((Storage.Small) storage).values());
        } else {
            target.assign(array());
        }
    }

    /** True while the values live in a Java array rather than in ND4J (see {@link Kernels}). */
    boolean isSmallBacked() { return storage instanceof Storage.Small; }

    /** The values of a small-backed tensor (see {@link #isSmallBacked()}); never write to them. */
    float[] smallValues() { return ((Storage.Small) storage).values(); }

    /** The shape; not a copy, do not modify. */
    public long[] shape() { return storage.shape(); }

    public int rank() { return storage.shape().length; }

    /** Number of elements. */
    public long size() { return storage.size(); }

    public DataType dataType() { return storage.dataType(); }

    /** The single value of a one-element tensor. */
    public float item() { return (float) itemDouble(); }

    /** The single value of a one-element tensor, in double precision. */
    public double itemDouble() {
        if (size() != 1) {
            throw new IllegalStateException("item(): the tensor has shape " + Shapes.format(shape()) + " ("
                    + size() + " elements); item() needs exactly one element");
        }
        return storage.item();
    }

    /** The values in row-major order, as floats. */
    public float[] toFloatArray() { return storage.toFloatArray(); }

    /** The values in row-major order, as doubles. */
    public double[] toDoubleArray() { return storage.toDoubleArray(); }

    /**
     * The sum of all values accumulated in double precision, untracked (as NumPy's {@code sum(dtype=float64)}):
     * for totals such as a metric's, where float32 accumulation would drift.
     */
    public double sumDouble() {
        return Kernels.sumDouble(this);
    }

    /** A float32 (or other) copy of this tensor's value, untracked. */
    public Tensor castTo(DataType type) {
        return isSmallBacked() && type == DataType.FLOAT ? new Tensor(storage) : new Tensor(array().castTo(type));
    }

    // ---------------------------------------------------------------- autodiff

    /** Marks a leaf as requiring grad, as PyTorch's {@code requires_grad_()}. Returns this tensor. */
    public Tensor requiresGrad(boolean requires) {
        if (node != null && !requires) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor (produced by " + node
                    + "); use detach() for an untracked copy");
        }
        this.requiresGrad = requires;
        return this;
    }

    public boolean requiresGrad() { return requiresGrad || node != null; }

    /** True for tensors not produced by a recorded op. */
    public boolean isLeaf() { return node == null; }

    /** The node that produced this tensor ({@code MulBackward}, ...), or null for a leaf. */
    public Node gradFn() { return node; }

    /** The gradient accumulated by {@link #backward()}, or null if none yet. */
    public Tensor grad() { return grad; }

    /** Sets the accumulated gradient to zero (PyTorch's {@code x.grad.zero_()}). */
    public void zeroGrad() {
        if (grad != null) {
            grad.array().assign(0);
        }
    }

    /** Forgets the accumulated gradient ({@code x.grad = None}). */
    public void clearGrad() { grad = null; }

    /** The same values, cut off from the graph. Shares the array. */
    public Tensor detach() { return new Tensor(storage); }

    /** Back-propagates from this scalar into every leaf that requires grad, then frees the graph. */
    public void backward() { backward(null, false, false); }

    /** As {@link #backward()}; with {@code retainGraph} the graph may be walked again. */
    public void backward(boolean retainGraph) { backward(null, retainGraph, false); }

    /**
     * Back-propagates {@code gradient} (ones for a scalar when null) into the leaves that require grad,
     * accumulating into their {@link #grad()}. With {@code createGraph} the backward ops are recorded,
     * so the gradients can be differentiated again.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Backprop.backward(this, gradient, retainGraph, createGraph);
    }

    /** Adds {@code g} to {@link #grad()}: recorded with {@code createGraph}, else in place (a copy the first time). */
    void accumulateGrad(Tensor g, boolean createGraph) {
        if (createGraph) {
            grad = grad == null ? g : grad.add(g);
        } else if (grad == null) {
            // a copy: g may share its array with the seed or another gradient; a gradient outlives its step
            grad = g.storage instanceof Storage.Small s ? new Tensor(s.outsideWorkspaces()) : new Tensor(g.array().dup());
        } else {
            grad.array().addi(g.array());
        }
    }

    // ---------------------------------------------------------------- element-wise

    public Tensor add(Tensor other) { return ElementwiseOps.add(this, other); }
    public Tensor sub(Tensor other) { return ElementwiseOps.sub(this, other); }
    public Tensor mul(Tensor other) { return ElementwiseOps.mul(this, other); }
    public Tensor div(Tensor other) { return ElementwiseOps.div(this, other); }
    public Tensor maximum(Tensor other) { return ElementwiseOps.maximum(this, other); }
    public Tensor minimum(Tensor other) { return ElementwiseOps.minimum(this, other); }
    public Tensor add(double c) { return ElementwiseOps.add(this, c); }
    public Tensor sub(double c) { return ElementwiseOps.add(this, -c); }
    public Tensor mul(double c) { return ElementwiseOps.mul(this, c); }
    public Tensor div(double c) { return ElementwiseOps.mul(this, 1.0 / c); }

    /** {@code c - this}. */
    public Tensor rsub(double c) { return ElementwiseOps.rsub(this, c); }

    /** {@code c / this}. */
    public Tensor rdiv(double c) { return ElementwiseOps.rdiv(this, c); }

    public Tensor neg() { return ElementwiseOps.mul(this, -1.0); }
    public Tensor pow(double exponent) { return ElementwiseOps.pow(this, exponent); }

    /**
     * {@code this ^ exponent} element by element, with NumPy broadcasting (Keras' {@code ops.power}): shapes
     * {@code [2, 3]} and {@code [3]} give {@code [2, 3]}. Special values as C's and NumPy's pow: {@code 1^y} is 1
     * for every y, {@code x^0} is 1 for every x, a negative base with a non-integer exponent is NaN. Gradients as
     * PyTorch's: for this tensor {@code y x^(y-1)}, 0 where y is 0; for the exponent {@code x^y log(x)}, 0 where x
     * is 0 and y >= 0, NaN where x < 0 (there is no real logarithm; TensorFlow returns 0 there).
     */
    public Tensor pow(Tensor exponent) { return ElementwiseOps.pow(this, exponent); }

    public Tensor square() { return ElementwiseOps.square(this); }
    public Tensor sqrt() { return ElementwiseOps.sqrt(this); }
    public Tensor exp() { return ElementwiseOps.exp(this); }
    public Tensor log() { return ElementwiseOps.log(this); }

    /** The sine, in radians; its gradient is {@code cos}. */
    public Tensor sin() { return ElementwiseOps.sin(this); }

    /** The cosine, in radians; its gradient is {@code -sin}. */
    public Tensor cos() { return ElementwiseOps.cos(this); }

    public Tensor abs() { return ElementwiseOps.abs(this); }

    /** The error function (used by exact GELU). */
    public Tensor erf() { return ElementwiseOps.erf(this); }

    /** Values limited to {@code [min, max]}; the gradient passes only where the value was inside. */
    public Tensor clip(double min, double max) { return ElementwiseOps.clip(this, min, max); }

    // ---------------------------------------------------------------- activations

    public Tensor sigmoid() { return ActivationOps.sigmoid(this); }
    public Tensor tanh() { return ActivationOps.tanh(this); }
    public Tensor relu() { return ActivationOps.relu(this); }

    /** {@code x if x > 0 else negativeSlope * x}. */
    public Tensor leakyRelu(double negativeSlope) { return ActivationOps.leakyRelu(this, negativeSlope); }

    /** {@code x if x > 0 else alpha * (exp(x) - 1)}. */
    public Tensor elu(double alpha) { return ActivationOps.elu(this, alpha); }

    /** Scaled ELU with Keras' constants. */
    public Tensor selu() { return ActivationOps.selu(this); }

    /** {@code log(1 + exp(x))}, computed without overflow for large inputs. */
    public Tensor softplus() { return ActivationOps.softplus(this); }

    /** {@code x / (1 + |x|)}. */
    public Tensor softsign() { return ActivationOps.softsign(this); }

    /** {@code x * sigmoid(x)} (also called SiLU). */
    public Tensor swish() { return ActivationOps.swish(this); }

    /** Keras 3's {@code relu6(x + 3) / 6}. */
    public Tensor hardSigmoid() { return ActivationOps.hardSigmoid(this); }

    /** GELU: exact (erf) form, or the tanh approximation when {@code approximate}. */
    public Tensor gelu(boolean approximate) { return ActivationOps.gelu(this, approximate); }

    public Tensor softmax(int axis) { return ActivationOps.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return ActivationOps.logSoftmax(this, axis); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a scalar). */
    public Tensor sum() { return ReductionOps.sum(this, false); }

    /** Sum over {@code axes} (all when none are given). */
    public Tensor sum(boolean keepDims, int... axes) { return ReductionOps.sum(this, keepDims, axes); }

    public Tensor mean() { return ReductionOps.mean(this, false); }
    public Tensor mean(boolean keepDims, int... axes) { return ReductionOps.mean(this, keepDims, axes); }

    /**
     * The largest element, as a rank-0 tensor; NaN if any element is NaN (NumPy's and Keras' {@code max}).
     * Elements that tie for the maximum share the gradient equally.
     */
    public Tensor max() { return ReductionOps.max(this, false); }

    /**
     * Maximum over {@code axes} (all when none are given): shape {@code [2, 3, 4]} over axis 1 gives
     * {@code [2, 4]}, or {@code [2, 1, 4]} with {@code keepDims}. A part holding a NaN gives NaN. Ties share the
     * gradient equally; where the result is NaN, the NaN elements share it.
     */
    public Tensor max(boolean keepDims, int... axes) { return ReductionOps.max(this, keepDims, axes); }

    /** The smallest element, as a rank-0 tensor; NaN and ties as in {@link #max()}. */
    public Tensor min() { return ReductionOps.min(this, false); }

    /** Minimum over {@code axes} (all when none are given); shapes, NaN, ties as {@link #max(boolean, int...)}. */
    public Tensor min(boolean keepDims, int... axes) { return ReductionOps.min(this, keepDims, axes); }

    // ---------------------------------------------------------------- shape

    /** The same values in a new shape; one dimension may be -1. */
    public Tensor reshape(long... shape) { return ShapeOps.reshape(this, shape); }

    /** Reverses the axes (a matrix transpose for rank 2). */
    public Tensor transpose() { return ShapeOps.permute(this, null); }

    /** Permutes the axes. */
    public Tensor transpose(int... axes) { return ShapeOps.permute(this, axes); }

    /** Inserts a dimension of size 1 at {@code axis}. */
    public Tensor expandDims(int axis) { return ShapeOps.expandDims(this, axis); }

    /** Removes a dimension of size 1 at {@code axis}. */
    public Tensor squeeze(int axis) { return ShapeOps.squeeze(this, axis); }

    /** Repeats this tensor to a shape it broadcasts to. */
    public Tensor broadcastTo(long... shape) { return ShapeOps.broadcastTo(this, shape); }

    /** Sums a broadcast tensor back down to {@code shape} (the inverse of {@link #broadcastTo}). */
    public Tensor sumToShape(long... shape) { return ShapeOps.sumToShape(this, shape); }

    /**
     * {@code this[..., start:end, ...]} along {@code axis} (negative counts from the end), e.g. one time step
     * {@code x.slice(1, t, t + 1)} of {@code [batch, steps, features]}. The gradient is zero outside the range.
     */
    public Tensor slice(int axis, long start, long end) { return SliceOps.slice(this, axis, start, end); }

    /** The slices along {@code axis}, each without that axis: {@code [b, t, f]} along 1 gives t tensors {@code [b, f]}. */
    public java.util.List<Tensor> unstack(int axis) { return SliceOps.unstack(this, axis); }

    /** The tensors joined along an existing {@code axis}; the other dimensions and the data type must agree. */
    public static Tensor concat(java.util.List<Tensor> tensors, int axis) { return SliceOps.concat(tensors, axis); }

    /** Tensors of one shape stacked along a new {@code axis}: t tensors {@code [b, f]} along 1 give {@code [b, t, f]}. */
    public static Tensor stack(java.util.List<Tensor> tensors, int axis) { return SliceOps.stack(tensors, axis); }

    // ---------------------------------------------------------------- matrix

    /**
     * NumPy's {@code take(this, ids, axis=0)}: the rows named by the integer tensor {@code ids}, shape
     * {@code ids.shape + shape[1:]} (an embedding lookup). The gradient adds the incoming rows of every
     * occurrence of an id into the row's gradient; ids outside {@code [0, shape[0])} are an error.
     */
    public Tensor take(Tensor ids) { return IndexOps.take(this, ids); }

    /**
     * Matrix product with NumPy's (and Keras') rules: {@code [n, k] · [k, m]} gives {@code [n, m]}; axes before
     * the last two are batch axes that broadcast, so {@code [2, 1, 2, 3] · [5, 3, 4]} gives {@code [2, 5, 2, 4]}
     * (each gradient is summed over the batches its operand was repeated in); a rank-1 operand is a row vector
     * on the left ({@code [k] · [.., k, m]} gives {@code [.., m]}) or a column vector on the right. Two matrices,
     * or a batch of matrices times one matrix, are a single GEMM. A mismatch names both shapes.
     */
    public Tensor matmul(Tensor other) { return MatrixOps.matmul(this, other, false, false); }

    /**
     * {@code op(this) · op(other)} where op transposes the last two axes when asked ({@code [k, n]ᵀ · [k, m]} gives
     * {@code [n, m]}), with the shape rules of {@link #matmul(Tensor)}; a vector has no axes to transpose, so its flag
     * is ignored. For matrices it is one GEMM with transpose flags, no transposed copies.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatrixOps.matmul(this, other, transposeThis, transposeOther);
    }

    @Override
    public String toString() {
        // a small tensor is printed from a temporary ND4J array: printing must not move its storage into ND4J
        String values = size() <= 64 ? storage.printable().toString()
                : Shapes.format(shape()) + " " + dataType();
        return "Tensor(" + values + (node != null ? ", gradFn=" + node : requiresGrad ? ", requiresGrad" : "") + ")";
    }
}
