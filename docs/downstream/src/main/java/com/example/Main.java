package com.example;

import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Learns y = x² on [-1, 1] with a small MLP and prints the loss before and after. */
public class Main {
    public static void main(String[] args) {
        Seeds.set(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, 512, 1).muli(2).subi(1);
        INDArray y = x.mul(x);
        Sequential model = new Sequential(new InputLayer(1), new Dense(32, "tanh"), new Dense(1));
        List<Double> loss = model.compile(new Adam(0.01), new MeanSquaredError())
                .fit(x, y, FitOptions.epochs(100).batchSize(32).verbose(0)).history().get("loss");
        System.out.printf("loss %.4f -> %.4f%n", loss.get(0), loss.get(loss.size() - 1));
        System.out.println("f(0.5) = " + model.predict(Nd4j.createFromArray(new float[][] {{0.5f}})).getFloat(0) + " (exact 0.25)");
    }
}
