package org.grad4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AmsGradUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J forms of {@link Updates}' rules, for arrays its Java passes do not take (not contiguous float32, or
 * {@code -Dgrad4j.kernels=nd4j}): one ND4J op per step of the formula, each rounding to the array's type, which
 * the Java passes repeat operation for operation ({@code UpdatesTest} holds them to the same bits).
 */
final class Nd4jUpdates {
    private Nd4jUpdates() {
    }

    static void adagrad(INDArray g, INDArray accumulator, INDArray w, double lr, double epsilon) {
        accumulator.addi(g.mul(g));
        INDArray denominator = Transforms.sqrt(accumulator.add(epsilon), false);
        w.subi(g.muli(lr).divi(denominator));
    }

    static void rmsprop(INDArray g, INDArray velocity, INDArray averageGradient, INDArray momentumSlot, INDArray w,
            double lr, double rho, double momentum, double epsilon) {
        velocity.muli(rho).addi(g.mul(g).muli(1 - rho));
        INDArray denominator;
        if (averageGradient != null) {
            averageGradient.muli(rho).addi(g.mul(1 - rho));
            denominator = velocity.sub(averageGradient.mul(averageGradient)).addi(epsilon);
        } else {
            denominator = velocity.add(epsilon);
        }
        INDArray increment = g.muli(lr).divi(Transforms.sqrt(denominator, false));
        if (momentumSlot != null) {
            w.subi(momentumSlot.muli(momentum).addi(increment));
        } else {
            w.subi(increment);
        }
    }

    static void adamax(INDArray g, INDArray m, INDArray u, INDArray w, double beta1, double beta2, double epsilon,
            double rate) {
        m.addi(g.sub(m).muli(1 - beta1));
        u.muli(beta2);
        // libnd4j's max is a > b ? a : b: a NaN in u would be replaced by |g|; NumPy's maximum keeps it
        INDArray max = Transforms.max(u, Transforms.abs(g, false), true);
        u.assign(Nans.keep(max, u));
        INDArray denominator = u.add(epsilon);
        g.assign(m).divi(denominator).muli(rate);
        w.subi(g);
    }

    static void nadam(INDArray g, INDArray m, INDArray v, INDArray w, double lr, double beta1, double beta2,
            double epsilon, double gradientScale, double momentumScale, double velocityScale) {
        m.addi(g.sub(m).muli(1 - beta1));
        v.addi(g.mul(g).subi(v).muli(1 - beta2));
        INDArray mHat = g.muli(gradientScale).addi(m.mul(momentumScale));
        INDArray denominator = Transforms.sqrt(v.div(velocityScale), false).addi(epsilon);
        w.subi(mHat.muli(lr).divi(denominator));
    }

    static void amsgrad(INDArray g, INDArray m, INDArray v, INDArray vHat, INDArray w, double lr, double beta1,
            double beta2, double epsilon, int iteration) {
        Nd4j.exec(new AmsGradUpdater(g, v, m, vHat, lr, beta1, beta2, epsilon, iteration));
        w.subi(g);   // g now holds the update
    }
}
