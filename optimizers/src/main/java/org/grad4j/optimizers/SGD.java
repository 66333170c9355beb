package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.NesterovsUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient descent, with optional (Nesterov) momentum, as Keras 3's {@code SGD} (sgd.py): plain
 * {@code w -= lr * g}; with momentum {@code v = momentum * v - lr * g; w += v}; with Nesterov
 * {@code w += momentum * v - lr * g} after the same {@code v} update. Defaults: lr 0.01, no momentum.
 */
public class SGD extends FluentOptimizer<SGD> {

    private double momentum;
    private boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(learningRate, 0.0, false);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        super("SGD", learningRate);
        this.momentum = Check.unitInterval("SGD", "momentum", momentum);
        this.nesterov = nesterov;
    }

    public SGD momentum(double momentum) {
        this.momentum = Check.unitInterval(describe(), "momentum", momentum);
        return this;
    }

    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    @Override
    protected void build(Variable variable) {
        if (momentum != 0) {   // as Keras: no slot without momentum
            addSlot(variable, "momentum", 0);
        }
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        INDArray w = variable.array();
        if (momentum == 0) {
            Updates.sgd(g, w, lr);
            return;
        }
        INDArray v = addSlot(variable, "momentum", 0);   // momentum may have been switched on after build
        if (nesterov) {
            // libnd4j: v <- mu*v - lr*g and g <- mu*v_old - (1+mu)*v, so w - g is Keras' w + mu*v - lr*g
            Nd4j.exec(new NesterovsUpdater(g, v, lr, momentum));
            w.subi(g);
        } else {
            v.muli(momentum).subi(g.muli(lr));
            w.addi(v);
        }
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("momentum", momentum, "nesterov", nesterov);
    }
}
