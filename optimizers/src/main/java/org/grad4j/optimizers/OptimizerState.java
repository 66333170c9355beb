package org.grad4j.optimizers;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An optimizer's own variables: the iteration counter, optimizer-wide values (Nadam's
 * {@code u_product}) and the slots of each variable it has seen, kept by identity. Everything is a
 * non-trainable {@link Variable} so that saving and restoring state is "list {@link #variables()},
 * assign each".
 *
 * <p>State is created outside any active ND4J workspace: a caller may run its training step in a
 * workspace, and slots must outlive it.
 */
final class OptimizerState {
    private Variable iterations;
    private final Map<String, Variable> globals = new LinkedHashMap<>();
    private final Map<Variable, Map<String, Variable>> slots = new IdentityHashMap<>();
    private final List<Variable> built = new ArrayList<>();

    /** True until anything (even the counter) has been created. */
    boolean isEmpty() {
        return iterations == null && globals.isEmpty() && built.isEmpty();
    }

    long iterationCount() {
        return iterations == null ? 0 : iterations.array().getLong(0);
    }

    /** The int64 scalar counter, created on first use. */
    Variable iterations(String optimizerName) {
        if (iterations == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                iterations = new Variable(optimizerName + "/iteration", Nd4j.scalar(0L), false);
            }
        }
        return iterations;
    }

    /** {@code iterations += 1}, written into the buffer directly (no native op for one number). */
    void advance(String optimizerName) {
        Variable counter = iterations(optimizerName);
        counter.array().putScalar(0, (double) (counter.array().getLong(0) + 1));
    }

    boolean isBuilt(Variable v) {
        return slots.containsKey(v);
    }

    void markBuilt(Variable v) {
        slots.put(v, new LinkedHashMap<>());
        built.add(v);
    }

    /** A slot shaped and typed like {@code v}, named {@code <optimizer>/<slot>/<variable>}. */
    INDArray addSlot(String optimizerName, Variable v, String slotName, double initialValue) {
        Map<String, Variable> own = slots.get(v);
        Variable slot = own.get(slotName);
        if (slot == null) {
            String fullName = optimizerName + "/" + slotName + "/" + v.name();
            MemoryBudget.reserve(optimizerName, "slot " + fullName, v.shape(), v.dataType());
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray value = v.array().ulike().assign(initialValue);
                slot = new Variable(fullName, value, false);
            }
            own.put(slotName, slot);
        }
        return slot.array();
    }

    INDArray slot(String owner, Variable v, String slotName) {
        Map<String, Variable> own = slots.get(v);
        Variable slot = own == null ? null : own.get(slotName);
        if (slot == null) {
            throw new IllegalStateException(owner + ": no slot \"" + slotName + "\" for variable " + v.name()
                    + "; declare it in build(Variable)");
        }
        return slot.array();
    }

    /** An optimizer-wide scalar such as Nadam's {@code u_product}, float32 as Keras' floatx. */
    INDArray addGlobal(String optimizerName, String name, double initialValue) {
        Variable global = globals.get(name);
        if (global == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                global = new Variable(optimizerName + "/" + name, Nd4j.scalar(DataType.FLOAT, initialValue), false);
            }
            globals.put(name, global);
        }
        return global.array();
    }

    /** The counter, then optimizer-wide values, then each variable's slots, in creation order. */
    List<Variable> variables(String optimizerName) {
        List<Variable> out = new ArrayList<>();
        out.add(iterations(optimizerName));
        out.addAll(globals.values());
        for (Variable v : built) {
            out.addAll(slots.get(v).values());
        }
        return out;
    }
}
