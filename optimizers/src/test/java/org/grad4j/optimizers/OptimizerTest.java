package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The base optimizer's contract: steps, in-place updates, state, clipping, weight decay, errors. */
class OptimizerTest {

    static List<org.junit.jupiter.params.provider.Arguments> everyRule() {
        return Fixtures.everyRule();
    }

    private static Variable scalar(String name, double value) {
        return new Variable(name, Nd4j.scalar(DataType.FLOAT, value));
    }

    // ---------------------------------------------------------------- minimize

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRule")
    void minimizeConvergesOnAQuadraticAndCountsSteps(String label, Supplier<Optimizer> factory) {
        Optimizer optimizer = factory.get();
        // rates that reach the minimum within a few hundred steps; Adadelta's steps start at sqrt(epsilon)
        optimizer.learningRate(label.startsWith("Adadelta") ? 50 : label.startsWith("Adagrad") ? 1 : 0.1);
        Variable w = new Variable("w", Nd4j.create(new float[] {5f, -4f}, new long[] {2}, 'c'));
        Tensor target = Tensor.of(new float[] {3f, 1f});
        Supplier<Tensor> loss = () -> w.sub(target).square().sum();
        double first = loss.get().itemDouble();
        int steps = 300;
        for (int i = 0; i < steps; i++) {
            optimizer.minimize(loss, List.of(w));
        }
        assertEquals(steps, optimizer.iterations());
        double last = loss.get().itemDouble();
        assertTrue(last < 1e-2 * first, label + ": loss " + first + " -> " + last);
    }

    @Test
    void minimizeReturnsTheLossBeforeTheStep() {
        Variable w = scalar("w", 2);
        Tensor value = new SGD(0.25).minimize(() -> w.square(), List.of(w));
        assertEquals(4.0, value.itemDouble(), 1e-6);
        assertTrue(value.isLeaf());
        assertEquals(1.0, w.itemDouble(), 1e-6);   // 2 - 0.25 * 2 * 2
    }

    // ---------------------------------------------------------------- schedules drive the steps

    @Test
    void aScheduleGivesTheLearningRateOfEachStep() {
        // values[0] while iterations <= 1, then values[1]
        SGD sgd = new SGD(1.0);
        sgd.learningRate(new PiecewiseConstant(new long[] {1}, new double[] {0.5, 0.1}));
        Variable w = scalar("w", 0);
        double[] expectedRates = {0.5, 0.5, 0.1, 0.1};
        double expectedW = 0;
        for (double rate : expectedRates) {
            assertEquals(rate, sgd.learningRate(), 0);
            sgd.applyGradients(List.of(Tensor.scalar(1f)), List.of(w));
            expectedW -= rate;
            assertEquals(expectedW, w.itemDouble(), 1e-6);
        }
    }

    @Test
    void exponentialAndCosineSchedulesFollowIterations() {
        Adam adam = new Adam();
        adam.learningRate(new ExponentialDecay(0.1, 4, 0.5));
        Variable w = scalar("w", 1);
        for (int i = 0; i < 6; i++) {
            assertEquals(0.1 * Math.pow(0.5, i / 4.0), adam.learningRate(), 1e-12);
            adam.applyGradients(List.of(Tensor.scalar(1f)), List.of(w));
        }
        RMSprop rms = new RMSprop();
        rms.learningRate(new CosineDecay(0.2, 5, 0.1));
        for (int i = 0; i < 8; i++) {
            double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(i, 5) / 5.0));
            assertEquals(0.2 * (0.9 * cosine + 0.1), rms.learningRate(), 1e-12);
            rms.applyGradients(List.of(Tensor.scalar(1f)), List.of(w));
        }
    }

    @Test
    void weightDecayUsesTheCurrentScheduledRate() {
        SGD sgd = new SGD(1.0);
        sgd.learningRate(new PiecewiseConstant(new long[] {0}, new double[] {0.5, 0.25})).weightDecay(0.1);
        Variable w = scalar("w", 2);
        sgd.applyGradients(List.of(Tensor.scalar(0f)), List.of(w));
        assertEquals(2 * (1 - 0.1 * 0.5), w.itemDouble(), 1e-6);
        sgd.applyGradients(List.of(Tensor.scalar(0f)), List.of(w));
        assertEquals(2 * (1 - 0.1 * 0.5) * (1 - 0.1 * 0.25), w.itemDouble(), 1e-6);
    }

    @Test
    void aScheduledRateIsNotSettable() {
        Adam adam = new Adam();
        adam.learningRate(new ExponentialDecay(0.1, 10, 0.9));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.learningRate(0.01));
        assertTrue(e.getMessage().startsWith("Adam: the learning rate is driven by ExponentialDecay"), e.getMessage());
        SGD sgd = new SGD(0.1);
        sgd.learningRate(0.05);   // what ReduceLROnPlateau does
        assertEquals(0.05, sgd.learningRate());
    }

    // ---------------------------------------------------------------- in place, state

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRule")
    void updatesStayInTheSameArrays(String label, Supplier<Optimizer> factory) {
        Optimizer optimizer = factory.get();
        List<Variable> vars = Fixtures.kernelAndBias(1);
        optimizer.applyGradients(Fixtures.gradients(vars, 1), vars);   // warm-up: slots exist now
        List<INDArray> before = new ArrayList<>();
        vars.forEach(v -> before.add(v.array()));
        optimizer.variables().forEach(v -> before.add(v.array()));
        INDArray kernelValue = vars.get(0).array().dup();
        for (int step = 2; step <= 4; step++) {
            optimizer.applyGradients(Fixtures.gradients(vars, step), vars);
        }
        List<INDArray> after = new ArrayList<>();
        vars.forEach(v -> after.add(v.array()));
        optimizer.variables().forEach(v -> after.add(v.array()));
        assertEquals(before.size(), after.size(), label + ": state variables were added");
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), after.get(i), label + ": array " + i + " was replaced");
        }
        assertNotEquals(kernelValue, vars.get(0).array(), label + ": the kernel did not change");
        assertEquals(4, optimizer.iterations());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRule")
    void restoredStateGivesIdenticalNextSteps(String label, Supplier<Optimizer> factory) {
        Optimizer original = factory.get();
        List<Variable> vars = Fixtures.kernelAndBias(7);
        for (int step = 1; step <= 3; step++) {
            original.applyGradients(Fixtures.gradients(vars, step), vars);
        }
        // save: the variables' values and the optimizer's state
        List<Variable> restoredVars = Fixtures.copies(vars);
        List<INDArray> saved = original.variables().stream().map(v -> v.array().dup()).toList();

        Optimizer restored = Optimizers.fromConfig(original.getClass().getSimpleName(), original.config());
        restored.build(restoredVars);
        List<Variable> state = restored.variables();
        assertEquals(original.variables().stream().map(Variable::name).toList(),
                state.stream().map(Variable::name).toList(), label + ": state names/order");
        for (int i = 0; i < state.size(); i++) {
            state.get(i).assign(saved.get(i));
        }
        assertEquals(3, restored.iterations());

        for (int step = 4; step <= 5; step++) {
            original.applyGradients(Fixtures.gradients(vars, step), vars);
            restored.applyGradients(Fixtures.gradients(vars, step), restoredVars);
        }
        for (int i = 0; i < vars.size(); i++) {
            assertEquals(vars.get(i).array(), restoredVars.get(i).array(), label + ": " + vars.get(i).name());
        }
        for (int i = 0; i < state.size(); i++) {
            assertEquals(original.variables().get(i).array(), state.get(i).array(), label + ": " + state.get(i).name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRule")
    void stepsInsideAWorkspaceKeepStateOutsideIt(String label, Supplier<Optimizer> factory) {
        // a training loop may run each step in a workspace; slots created there must outlive it
        Optimizer inside = factory.get();
        Optimizer outside = factory.get();
        List<Variable> vars = Fixtures.kernelAndBias(13);
        List<Variable> reference = Fixtures.copies(vars);
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20)
                .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
        for (int step = 1; step <= 3; step++) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "optimizer-test")) {
                inside.applyGradients(Fixtures.gradients(vars, step), vars);
            }
            outside.applyGradients(Fixtures.gradients(vars, step), reference);
        }
        inside.variables().forEach(v -> assertFalse(v.array().isAttached(), label + ": " + v.name() + " is in the workspace"));
        for (int i = 0; i < vars.size(); i++) {
            assertEquals(reference.get(i).array(), vars.get(i).array(), label + ": " + vars.get(i).name());
        }
    }

    @Test
    void stateVariablesAreNamedAndOrderedLikeKeras() {
        Nadam nadam = new Nadam();
        List<Variable> vars = Fixtures.kernelAndBias(3);
        nadam.build(vars);
        assertEquals(List.of("nadam/iteration", "nadam/u_product", "nadam/momentum/dense/kernel:0",
                "nadam/velocity/dense/kernel:0", "nadam/momentum/dense/bias:0", "nadam/velocity/dense/bias:0"),
                nadam.variables().stream().map(Variable::name).toList());
        assertEquals(DataType.LONG, nadam.variables().get(0).dataType());
        nadam.variables().forEach(v -> assertFalse(v.trainable(), v.name()));
        assertEquals(List.of("SGD/iteration"), new SGD().variables().stream().map(Variable::name).toList());
    }

    @Test
    void nadamMomentumProductAdvancesOncePerStepWhateverTheVariableCount() {
        Nadam nadam = new Nadam();
        List<Variable> vars = Fixtures.kernelAndBias(5);
        nadam.applyGradients(Fixtures.gradients(vars, 1), vars);
        nadam.applyGradients(Fixtures.gradients(vars, 2), vars);
        double u1 = 0.9 * (1 - 0.5 * Math.pow(0.96, 1));
        double u2 = 0.9 * (1 - 0.5 * Math.pow(0.96, 2));
        assertEquals(u1 * u2, nadam.variables().get(1).itemDouble(), 1e-7);
    }

    @Test
    void renamingIsOnlyAllowedBeforeStateExists() {
        Adam adam = new Adam();
        adam.name("encoder_adam");
        assertEquals("encoder_adam/iteration", adam.variables().get(0).name());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.name("other"));
        assertTrue(e.getMessage().startsWith("Adam: cannot rename \"encoder_adam\" to \"other\""), e.getMessage());
    }

    // ---------------------------------------------------------------- gradients

    @Test
    void nullGradientsAreDroppedWithTheirVariables() {
        Variable a = scalar("a", 1);
        Variable b = scalar("b", 1);
        SGD sgd = new SGD(0.5).momentum(0.5);
        sgd.applyGradients(Arrays.asList(null, Tensor.scalar(1f)), List.of(a, b));
        assertEquals(1.0, a.itemDouble());
        assertEquals(0.5, b.itemDouble(), 1e-7);
        assertEquals(List.of("SGD/iteration", "SGD/momentum/b"), sgd.variables().stream().map(Variable::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.applyGradients(Arrays.asList(null, null), List.of(a, b)));
        assertEquals("SGD.applyGradients: no gradients provided for any variable [a, b]; does the loss depend on them?",
                e.getMessage());
        assertEquals(1, sgd.iterations());
    }

    @Test
    void theCallersGradientsAreNotModified() {
        Variable w = new Variable("w", Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c'));
        Tensor g = Tensor.of(new float[] {3, 4, 12});
        for (Optimizer o : List.of(new Adam().clipNorm(1.0), new SGD(0.1, 0.9, true), new Adadelta(), new Nadam())) {
            o.applyGradients(List.of(g), List.of(w));
            assertEquals(Nd4j.create(new float[] {3, 4, 12}, new long[] {3}, 'c'), g.array(), o.toString());
        }
    }

    @Test
    void float64VariablesGetFloat64SlotsAndCastGradients() {
        Variable w = new Variable("w", Nd4j.create(new double[] {1.0, 2.0}, new long[] {2}, 'c'));
        Adam adam = new Adam(0.1);
        adam.applyGradients(List.of(Tensor.of(new float[] {1f, -1f})), List.of(w));
        assertEquals(DataType.DOUBLE, w.dataType());
        assertEquals(DataType.DOUBLE, adam.variables().get(1).dataType());
        // first Adam step moves every element by about lr against the gradient's sign
        assertEquals(0.9, w.array().getDouble(0), 1e-6);
        assertEquals(2.1, w.array().getDouble(1), 1e-6);
    }

    // ---------------------------------------------------------------- clipping

    @Test
    void globalClipNormScalesAllGradientsTogether() {
        Variable a = scalar("a", 0);
        Variable b = scalar("b", 0);
        SGD sgd = new SGD(1.0);
        sgd.globalClipNorm(1.0);
        sgd.applyGradients(List.of(Tensor.scalar(3f), Tensor.scalar(4f)), List.of(a, b));   // ||G|| = 5
        assertEquals(-0.6, a.itemDouble(), 1e-6);
        assertEquals(-0.8, b.itemDouble(), 1e-6);
        sgd.applyGradients(List.of(Tensor.scalar(0.3f), Tensor.scalar(0.4f)), List.of(a, b));   // below: unchanged
        assertEquals(-0.9, a.itemDouble(), 1e-6);
        assertEquals(-1.2, b.itemDouble(), 1e-6);
    }

    @Test
    void clipNormWorksPerVariable() {
        Variable a = scalar("a", 0);
        Variable b = scalar("b", 0);
        new SGD(1.0).clipNorm(1.0).applyGradients(List.of(Tensor.scalar(3f), Tensor.scalar(0.5f)), List.of(a, b));
        assertEquals(-1.0, a.itemDouble(), 1e-6);
        assertEquals(-0.5, b.itemDouble(), 1e-6);
    }

    @Test
    void onlyOneClipOptionAtATime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam().clipNorm(1.0).clipValue(0.5));
        assertEquals("Adam: only one of clipnorm, clipvalue and global_clipnorm can be set; clipnorm is already 1.0, "
                + "so clipvalue=0.5 cannot be added", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD().globalClipNorm(2.0).clipNorm(1.0));
        assertTrue(e.getMessage().contains("global_clipnorm is already 2.0, so clipnorm=1.0"), e.getMessage());
        assertEquals(0.25, new Adam().clipNorm(1.0).clipNorm(0.25).config().get("clipnorm"));   // same option: replaced
        e = assertThrows(IllegalArgumentException.class, () -> new Adam().clipValue(0));
        assertEquals("Adam: clipvalue must be positive, got 0.0", e.getMessage());
    }

    // ---------------------------------------------------------------- bad calls change nothing

    @Test
    void aShapeMismatchNamesTheVariableAndBothShapesAndChangesNothing() {
        Adam adam = new Adam(0.1);
        List<Variable> vars = Fixtures.kernelAndBias(11);
        adam.applyGradients(Fixtures.gradients(vars, 1), vars);
        List<INDArray> before = new ArrayList<>();
        vars.forEach(v -> before.add(v.array().dup()));
        adam.variables().forEach(v -> before.add(v.array().dup()));

        List<Tensor> bad = List.of(Tensor.zeros(2, 3), Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.applyGradients(bad, vars));
        assertEquals("Adam.applyGradients: gradient for variable dense/bias:0 has shape [2] but the variable has shape [3]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adam.applyGradients(List.of(Tensor.zeros(2, 3)), vars));
        assertEquals("Adam.applyGradients: 1 gradients for 2 variables (one gradient per variable, null for none)",
                e.getMessage());

        assertEquals(1, adam.iterations());
        List<INDArray> after = new ArrayList<>();
        vars.forEach(v -> after.add(v.array()));
        adam.variables().forEach(v -> after.add(v.array()));
        assertEquals(before, after);
    }

    @Test
    void learningRateMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(0));
        assertEquals("Adam: learning rate must be positive, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(-0.1));
        assertEquals("SGD: learning rate must be positive, got -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RMSprop().learningRate(Double.NaN));
        assertEquals("RMSprop: learning rate must be positive, got NaN", e.getMessage());
    }

    @Test
    void hyperParametersAreValidated() {
        assertEquals("Adam: beta_1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam().beta1(1.0)).getMessage());
        assertEquals("Nadam: beta_2 must be in [0, 1), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new Nadam().beta2(-0.5)).getMessage());
        assertEquals("SGD: momentum must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, 1.5, false)).getMessage());
        assertEquals("RMSprop: rho must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new RMSprop().rho(1.0)).getMessage());
        assertEquals("Adadelta: epsilon must be >= 0, got -1.0E-7",
                assertThrows(IllegalArgumentException.class, () -> new Adadelta().epsilon(-1e-7)).getMessage());
        assertEquals("Adagrad: initial_accumulator_value must be >= 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Adagrad().initialAccumulatorValue(-0.1)).getMessage());
        assertEquals("AdamW: weight decay must be >= 0, got -0.004",
                assertThrows(IllegalArgumentException.class, () -> new AdamW(0.001, -0.004)).getMessage());
    }
}
