package org.grad4j.optimizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The part every update rule shares, as in Keras 3's {@code BaseOptimizer}: the iteration counter,
 * the learning rate (a constant or a {@link LearningRateSchedule}), gradient clipping, decoupled
 * weight decay and the slots each rule keeps per variable. A rule adds two things: {@link
 * #build(Variable)} declares its slots for a variable, {@link #updateStep} applies its formula.
 *
 * <p>One {@link #applyGradients} call is one step, in Keras' order: drop null gradients, clip,
 * decay weights ({@code w -= w * weight_decay * lr}), run the rule with {@code t = iterations + 1},
 * then count the step. Variables and slots are updated in place; their arrays never change identity.
 *
 * <p>The fluent setters here return {@code Optimizer}. The built-in rules extend {@link FluentOptimizer},
 * whose setters return the rule's own type, so base and rule setters chain in any order:
 * {@code new Adam(0.01).clipNorm(1.0).amsgrad(true)}.
 */
public abstract class Optimizer {
    private String name;
    private double learningRate;
    private LearningRateSchedule schedule;
    private Double weightDecay;
    private GradientClipping clipping;
    private final OptimizerState state = new OptimizerState();
    /** Per variable, the array a small gradient is copied into for its update (not state: rewritten every step). */
    private final Map<Variable, INDArray> staging = new java.util.IdentityHashMap<>();

    /**
     * @param name         Keras' default name for the rule ({@code "adam"}, {@code "SGD"}...), the prefix
     *                     of its state variables
     * @param learningRate positive
     */
    protected Optimizer(String name, double learningRate) {
        this.name = name;
        this.learningRate = Check.positive(describe(), "learning rate", learningRate);
    }

    // ---------------------------------------------------------------- hyper-parameters

    public String name() {
        return name;
    }

    /** Renames the optimizer; only before it has state, since state variables carry the name. */
    public Optimizer name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(describe() + ": a name is required");
        }
        if (!state.isEmpty()) {
            throw new IllegalStateException(describe() + ": cannot rename \"" + this.name + "\" to \"" + name
                    + "\" after its state variables were created; set the name first");
        }
        this.name = name;
        return this;
    }

    /** Steps taken so far (Keras' {@code optimizer.iterations}). */
    public long iterations() {
        return state.iterationCount();
    }

    /** The learning rate the next step uses: the constant, or the schedule at {@link #iterations()}. */
    public double learningRate() {
        return schedule == null ? learningRate : schedule.at(iterations());
    }

    /** Sets a constant learning rate (ReduceLROnPlateau uses this). Not allowed while a schedule drives it. */
    public Optimizer learningRate(double learningRate) {
        if (schedule != null) {
            throw new IllegalStateException(describe() + ": the learning rate is driven by " + schedule
                    + " and is not settable; create the optimizer with a constant learning rate to change it");
        }
        this.learningRate = Check.positive(describe(), "learning rate", learningRate);
        return this;
    }

    /** Lets a schedule give the learning rate of each step, evaluated at {@link #iterations()}. */
    public Optimizer learningRate(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException(describe() + ": the learning rate schedule is null");
        }
        this.schedule = schedule;
        return this;
    }

    public Optional<LearningRateSchedule> learningRateSchedule() {
        return Optional.ofNullable(schedule);
    }

    /** Clips each gradient to L2 norm {@code <= clipNorm} on its own (Keras {@code clipnorm}). */
    public Optimizer clipNorm(double clipNorm) {
        return clip(GradientClipping.NORM, clipNorm);
    }

    /** Clips each gradient element to {@code [-clipValue, clipValue]} (Keras {@code clipvalue}). */
    public Optimizer clipValue(double clipValue) {
        return clip(GradientClipping.VALUE, clipValue);
    }

    /** Scales all gradients together so that their joint L2 norm is {@code <= clipNorm} (Keras {@code global_clipnorm}). */
    public Optimizer globalClipNorm(double clipNorm) {
        return clip(GradientClipping.GLOBAL_NORM, clipNorm);
    }

    private Optimizer clip(String kind, double value) {
        Check.positive(describe(), kind, value);
        if (clipping != null && !clipping.kind().equals(kind)) {
            throw new IllegalArgumentException(describe() + ": only one of clipnorm, clipvalue and global_clipnorm "
                    + "can be set; " + clipping.kind() + " is already " + clipping.value() + ", so " + kind + "="
                    + value + " cannot be added");
        }
        clipping = new GradientClipping(kind, value);
        return this;
    }

    /** Decoupled weight decay: before each step, {@code w -= w * weightDecay * learningRate}. */
    public Optimizer weightDecay(double weightDecay) {
        this.weightDecay = Check.nonNegative(describe(), "weight decay", weightDecay);
        return this;
    }

    // ---------------------------------------------------------------- steps

    /**
     * One optimization step. {@code gradients.get(i)} (same shape as {@code variables.get(i)}, or null
     * for "no gradient") updates {@code variables.get(i)} in place. Everything is checked first: a bad
     * call changes neither the variables nor the optimizer.
     */
    public void applyGradients(List<? extends Tensor> gradients, List<? extends Variable> variables) {
        apply(gradients, variables, false);
    }

    /**
     * {@link #applyGradients} for a training loop that owns its gradients and has no further use for them:
     * the rule may write its update into their arrays, which saves a copy of every gradient per step (for
     * a model of millions of weights, a pass over all of them). A gradient whose array is a view, or shares
     * its buffer with another gradient, is still copied first.
     */
    public void applyGradientsInPlace(List<? extends Tensor> gradients, List<? extends Variable> variables) {
        apply(gradients, variables, true);
    }

    /** {@code g}'s values in the array kept for {@code variable}, made outside any workspace on first use. */
    private INDArray staged(Variable variable, Tensor g) {
        INDArray kept = staging.get(variable);
        if (kept == null || !java.util.Arrays.equals(kept.shape(), g.shape()) || kept.dataType() != g.dataType()) {
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                kept = Nd4j.createUninitialized(g.dataType(), g.shape());
            }
            staging.put(variable, kept);
        }
        g.copyInto(kept);
        return kept;
    }

    private void apply(List<? extends Tensor> gradients, List<? extends Variable> variables, boolean consume) {
        List<Variable> vars = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        checkAndDropNulls(gradients, variables, grads, vars);
        build(vars);
        List<INDArray> owned = new ArrayList<>(grads.size());
        List<INDArray> copies = new ArrayList<>(grads.size());
        java.util.Set<Object> buffers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            // the rule may overwrite its gradient (fused ND4J ops write their update there), so unless the
            // caller hands them over it gets a copy in the variable's type: the caller's gradients stay untouched
            for (int i = 0; i < grads.size(); i++) {
                Tensor g = grads.get(i);
                DataType type = vars.get(i).dataType();
                INDArray array = null;
                if (consume && g.dataType() == type && !g.hasArray()) {
                    // a small gradient's values are in a Java array: copied into an array kept for the variable
                    // instead of a new ND4J array each step (whose native bookkeeping the collector must then find)
                    owned.add(staged(vars.get(i), g));
                    continue;
                }
                if (consume && g.dataType() == type) {
                    array = g.array();
                    if (array.isView() || !buffers.add(array.data())) {
                        array = array.dup();
                    }
                }
                if (array == null || array != g.array()) {
                    if (array == null) {
                        array = g.dataType() == type ? g.copyArray() : g.array().castTo(type);
                    }
                    copies.add(array);
                }
                owned.add(array);
            }
            if (clipping != null) {
                clipping.apply(owned);
            }
            double lr = learningRate();
            long step = iterations() + 1;
            if (weightDecay != null && weightDecay != 0) {
                for (Variable v : vars) {
                    v.array().muli(1 - weightDecay * lr);
                }
            }
            beforeUpdates(step);
            for (int i = 0; i < vars.size(); i++) {
                updateStep(owned.get(i), vars.get(i), lr, step);
            }
            state.advance(name);
        } finally {
            for (INDArray copy : copies) {
                if (copy.closeable()) {
                    copy.close();
                }
            }
        }
    }

    private void checkAndDropNulls(List<? extends Tensor> gradients, List<? extends Variable> variables,
            List<Tensor> grads, List<Variable> vars) {
        String where = describe() + ".applyGradients";
        if (gradients == null || variables == null) {
            throw new IllegalArgumentException(where + ": gradients and variables must not be null");
        }
        if (gradients.size() != variables.size()) {
            throw new IllegalArgumentException(where + ": " + gradients.size() + " gradients for "
                    + variables.size() + " variables (one gradient per variable, null for none)");
        }
        for (int i = 0; i < variables.size(); i++) {
            Variable v = variables.get(i);
            Tensor g = gradients.get(i);
            if (v == null) {
                throw new IllegalArgumentException(where + ": variable " + i + " is null");
            }
            if (g == null) {
                continue;   // Keras drops variables without a gradient
            }
            if (!Arrays.equals(g.shape(), v.shape())) {
                throw new IllegalArgumentException(where + ": gradient for variable " + v.name() + " has shape "
                        + Shapes.format(g.shape()) + " but the variable has shape " + Shapes.format(v.shape()));
            }
            grads.add(g);
            vars.add(v);
        }
        if (vars.isEmpty()) {
            List<String> names = variables.stream().map(Variable::name).toList();
            throw new IllegalArgumentException(where + ": no gradients provided for any variable " + names
                    + "; does the loss depend on them?");
        }
    }

    /**
     * Keras' {@code optimizer.minimize(loss, var_list)}: evaluates {@code loss} under a tape, takes its
     * gradients with respect to {@code variables} and applies them.
     *
     * @return the loss value before the step (detached from the graph)
     */
    public Tensor minimize(Supplier<Tensor> loss, List<? extends Variable> variables) {
        Tensor value;
        GradientTape tape = GradientTape.open();
        try (tape) {
            tape.watch(variables);
            value = loss.get();
        }
        if (value == null) {
            throw new IllegalArgumentException(describe() + ".minimize: the loss supplier returned null");
        }
        applyGradients(tape.gradient(value, variables), variables);
        return value.detach();
    }

    // ---------------------------------------------------------------- state

    /** Creates the slots of any variable not seen before without stepping (to restore saved state). */
    public void build(List<? extends Variable> variables) {
        state.iterations(name);
        for (Variable v : variables) {
            if (!state.isBuilt(v)) {
                state.markBuilt(v);
                build(v);
            }
        }
    }

    /**
     * The optimizer's state, in a deterministic order: the int64 {@code iteration} counter, the
     * optimizer-wide values, then each variable's slots in the order the variables were first seen.
     * To restore it, {@link #build} the same variables on a fresh optimizer and assign each.
     */
    public List<Variable> variables() {
        return state.variables(name);
    }

    /**
     * Keras' {@code get_config()}: name, learning rate (a number, or the schedule as
     * {@code {"class_name", "config"}}), weight decay and clipping (null when unset), then the rule's own
     * hyper-parameters. {@link Optimizers#fromConfig} reads it back.
     */
    public final Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("learning_rate", schedule == null ? (Object) learningRate : LearningRateSchedule.serialize(schedule));
        config.put("weight_decay", weightDecay);
        config.put("clipnorm", clipOf(GradientClipping.NORM));
        config.put("global_clipnorm", clipOf(GradientClipping.GLOBAL_NORM));
        config.put("clipvalue", clipOf(GradientClipping.VALUE));
        config.putAll(ruleConfig());
        return config;
    }

    private Double clipOf(String kind) {
        return clipping != null && clipping.kind().equals(kind) ? clipping.value() : null;
    }

    @Override
    public String toString() {
        return describe() + config();
    }

    // ---------------------------------------------------------------- for rules

    /** The class name, as messages start: {@code Adam: ...}. */
    protected final String describe() {
        return getClass().getSimpleName();
    }

    /** Declares the slots of a variable seen for the first time (Keras' {@code build}), with {@link #addSlot}. */
    protected abstract void build(Variable variable);

    /**
     * The rule itself, for one variable. {@code gradient} is clipped, has the variable's shape and
     * type, and belongs to the optimizer: the rule may use it as scratch.
     *
     * @param step {@code iterations + 1}, Keras' {@code local_step}
     */
    protected abstract void updateStep(INDArray gradient, Variable variable, double learningRate, long step);

    /** The rule's hyper-parameters under their Keras names, in Keras' order (see {@link #entries}). */
    protected abstract Map<String, Object> ruleConfig();

    /** An ordered map from alternating keys and values: {@code entries("beta_1", beta1, "beta_2", beta2)}. */
    protected static Map<String, Object> entries(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** Runs once per step before any variable is updated (Nadam advances its momentum schedule here). */
    protected void beforeUpdates(long step) {
    }

    /** Gets or creates a slot like {@code variable}, filled with {@code initialValue}; named {@code <name>/<slot>/<variable>}. */
    protected final INDArray addSlot(Variable variable, String slotName, double initialValue) {
        return state.addSlot(name, variable, slotName, initialValue);
    }

    /** A slot declared in {@link #build(Variable)}. */
    protected final INDArray slot(Variable variable, String slotName) {
        return state.slot(describe(), variable, slotName);
    }

    /** Gets or creates an optimizer-wide float32 scalar, saved with the state. */
    protected final INDArray addOptimizerVariable(String variableName, double initialValue) {
        return state.addGlobal(name, variableName, initialValue);
    }
}
